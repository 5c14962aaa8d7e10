// The demo's example app: an HTTP server that says which instance answered.
const http = require('node:http')
const port = Number(process.env.PORT ?? 3000)
const server = http.createServer((req, res) => {
  res.end(`hello from instance ${process.env.NODE_APP_INSTANCE} (pid ${process.pid})\n`)
})
server.listen(port, '127.0.0.1', () => console.log(`instance ${process.env.NODE_APP_INSTANCE} listening on ${port}`))
process.on('SIGINT', () => server.close(() => process.exit(0)))
