/**
 * `tend/rpc`: serve a Supervisor over a Unix socket, and connect to one.
 *
 * @module tend/rpc
 */
export { serve } from './adapters/rpc/server.js'
export type { ServeOptions, RpcServer, ExtraMethod } from './adapters/rpc/server.js'
export { connect } from './adapters/rpc/client.js'
export type { ConnectOptions, CallOptions, SupervisorClient, RemoteSupervisorMethods, RemoteListener } from './adapters/rpc/client.js'
export { SUPERVISOR_METHODS } from './adapters/rpc/methods.js'
export type { SupervisorMethod } from './adapters/rpc/methods.js'
export { MAX_FRAME_BYTES, MAX_REPLY_BYTES } from './adapters/rpc/protocol.js'
export { RpcError, RpcTimeoutError, DaemonError, DumpError, SocketError } from './errors.js'
