// The CommonJS declarations (index.d.cts), as a `require` consumer sees them.
import tend = require('tendjs')
import rpc = require('tendjs/rpc')

type IsAny<T> = 0 extends 1 & T ? true : false
const sup = new tend.Supervisor({ metricsInterval: 0 })
export const busIsTyped: IsAny<typeof sup.bus> extends false ? true : false = true
export const errorsAreClasses: InstanceType<typeof tend.NotFoundError> extends tend.TendError ? true : false = true
export type Client = Awaited<ReturnType<typeof rpc.connect>>
