// Log lines as the software prints them → the class the pattern table must give them.
// Each text is cited (source file or documentation of the project that prints it). Where the
// exact wording was not checked against the source, the comment says "(from memory)".
// Timestamps, pids, hosts and ports are made up; the wording is not.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderDiagnosis } from '../../src/commands/why/render';
import { decodeExit, runtimeOfImage } from '../../src/diagnose/exitCode';
import { diagnosePod } from '../../src/diagnose/index';
import { classifyLine, errorLines, logRuntime, scanLog } from '../../src/diagnose/logLines';
import { LOG_PATTERNS, type LogClass } from '../../src/diagnose/logPatterns';
import { makeColors } from '../../src/render/color';
import { backendWorld, container, crashLooping, dbService, logs, worldSnapshot } from './fixtures';

const CORPUS: [line: string, cls: LogClass][] = [
  // --- Node.js ---
  // lib/net.js setupListenHandle → uvExceptionWithHostPort (Node >= 12 wording)
  ['Error: listen EADDRINUSE: address already in use :::3000', 'port-in-use'],
  // lib/internal/errors.js exceptionWithHostPort, from net.js afterConnect
  ['Error: connect ECONNREFUSED 127.0.0.1:5432', 'connection-refused'],
  ['Error: connect ETIMEDOUT 10.96.0.20:5432', 'timeout'],
  ['Error: read ECONNRESET', 'connection-reset'],
  // lib/internal/errors.js dnsException (getaddrinfo)
  ['Error: getaddrinfo ENOTFOUND redis-service', 'dns'],
  ['Error: getaddrinfo EAI_AGAIN postgres-service', 'dns'],
  // node src/node_errors.cc OOMErrorHandler; the V8 reason texts from src/heap/heap.cc
  ['FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory', 'oom'],
  ['FATAL ERROR: Ineffective mark-compacts near heap limit Allocation failed - JavaScript heap out of memory', 'oom'],
  // lib/internal/modules/cjs/loader.js Module._resolveFilename
  ["Error: Cannot find module 'express'", 'missing-module'],
  // lib/internal/modules/esm/resolve.js packageResolve (ERR_MODULE_NOT_FOUND)
  ["Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'express' imported from /app/server.js", 'missing-module'],
  // lib/internal/process/promises.js (Node >= 15, --unhandled-rejections=throw)
  ['[UnhandledPromiseRejection: This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "boom".] {', 'error'],
  // fs errors: lib/internal/errors.js uvException ("EACCES: permission denied, open '...'")
  ["Error: EACCES: permission denied, open '/app/logs/app.log'", 'permission'],
  ["Error: ENOENT: no such file or directory, open '/app/config/production.json'", 'config'],
  // OpenSSL verify texts as Node reports them (Node >= 17 spells "self-signed")
  ['Error: self-signed certificate in certificate chain', 'tls'],
  // node-postgres lib/client.js; the server's text relayed by pg-protocol
  ['Error: Connection terminated unexpectedly', 'connection-reset'],
  ['error: password authentication failed for user "app"', 'db-auth'],
  // redis src/acl.c / server.c replies, relayed by ioredis as ReplyError, by redis-py as AuthenticationError, by go-redis as the reply text
  ['[ioredis] Unhandled error event: ReplyError: WRONGPASS invalid username-password pair or user is disabled.', 'cache-auth'],
  ['ReplyError: NOAUTH Authentication required.', 'cache-auth'],
  ['redis.exceptions.AuthenticationError: invalid username-password pair or user is disabled.', 'cache-auth'],
  ['redis: 2025/06/01 11:59:47 pool.go:368: WRONGPASS invalid username-password pair or user is disabled.', 'cache-auth'],
  ['ReplyError: ERR invalid password', 'cache-auth'],
  // redis src/server.c shared.bgsaveerr / shared.oomerr, relayed by ioredis/node-redis as ReplyError
  ['ReplyError: MISCONF Redis is configured to save RDB snapshots, but it is currently not able to persist on disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.', 'dependency'],
  ["ReplyError: OOM command not allowed when used memory > 'maxmemory'.", 'dependency'],

  // No upstream source: the wording many apps use for a missing setting (this is the DhakaCart backend's own, test/diagnose/config.test.ts)
  ['Error: Missing required environment variable: JWT_SECRET', 'config'],

  // --- Go ---
  // src/runtime/panic.go printpanics + runtime/error.go (nil dereference text)
  ['panic: runtime error: invalid memory address or nil pointer dereference', 'panic'],
  // src/runtime/proc.go checkdead; src/runtime/map.go (fatal, not throw, since Go 1.19)
  ['fatal error: all goroutines are asleep - deadlock!', 'fatal'],
  ['fatal error: concurrent map writes', 'fatal'],
  // src/runtime/malloc.go
  ['fatal error: runtime: out of memory', 'oom'],
  // log.Fatal(http.ListenAndServe(...)): std log prefix + net.OpError text
  ['2025/06/01 11:59:47 listen tcp :8080: bind: address already in use', 'port-in-use'],
  // net/dnsclient_unix.go (DNSError "no such host"), net.OpError
  ['2025/06/01 11:59:47 dial tcp: lookup postgres on 10.96.0.10:53: no such host', 'dns'],
  ['2025/06/01 11:59:47 failed to connect to database: dial tcp 10.96.0.20:5432: connect: connection refused', 'connection-refused'],
  // net: the deadline error's text (os.ErrDeadlineExceeded → "i/o timeout")
  ['2025/06/01 11:59:47 dial tcp 10.96.0.20:5432: i/o timeout', 'timeout'],
  // crypto/x509 UnknownAuthorityError.Error
  ['2025/06/01 11:59:47 Get "https://payments.internal/health": tls: failed to verify certificate: x509: certificate signed by unknown authority', 'tls'],
  // log.Fatalf("failed to load templates: %v", err) with text/template's parse error (template wording from memory)
  ['2025/06/01 11:59:47 failed to load templates: template: index.html:12: unexpected "}" in operand', 'error'],
  // k8s.io/klog/v2 headers (the messages are made up)
  ['F0601 11:59:47.914123       1 main.go:52] unable to start manager', 'fatal'],
  ['E0601 11:59:47.914123       1 leaderelection.go:332] error retrieving resource lock dhakacart/checkout-leader', 'error'],
  // zap's JSON encoder (go.uber.org/zap zapcore/json_encoder.go field names)
  ['{"level":"fatal","ts":1717243187.914,"caller":"server/main.go:42","msg":"cannot start server","error":"listen tcp :80: bind: permission denied"}', 'permission'],
  // logrus TextFormatter (time=, level=, msg=)
  ['time="2025-06-01T11:59:47Z" level=fatal msg="failed to load config" error="open /etc/app/config.yaml: no such file or directory"', 'config'],

  // --- Python ---
  // Python docs, built-in exceptions; the traceback's last line as traceback.py prints it
  ["ModuleNotFoundError: No module named 'flask'", 'missing-module'],
  ['ConnectionRefusedError: [Errno 111] Connection refused', 'connection-refused'],
  ["PermissionError: [Errno 13] Permission denied: '/data/cache'", 'permission'],
  ['MemoryError', 'oom'],
  ["KeyError: 'DATABASE_URL'", 'error'],
  // Modules/_ssl.c verify error (from memory for the trailing "(_ssl.c:1006)")
  ['ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)', 'tls'],
  // libpq src/interfaces/libpq/fe-connect.c (PostgreSQL >= 14 wording), relayed by psycopg2
  ['psycopg2.OperationalError: connection to server at "postgres" (10.96.0.20), port 5432 failed: Connection refused', 'connection-refused'],
  ['psycopg2.OperationalError: could not translate host name "postgres" to address: Name or service not known', 'dns'],
  ['sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at "postgres" (10.96.0.20), port 5432 failed: FATAL:  password authentication failed for user "app"', 'db-auth'],

  // --- JVM / Spring Boot ---
  // OpenJDK Thread.dispatchUncaughtException / ThreadGroup.uncaughtException
  ['Exception in thread "main" java.lang.IllegalStateException: Failed to execute CommandLineRunner', 'error'],
  ['Exception in thread "main" java.lang.OutOfMemoryError: Java heap space', 'oom'],
  // Throwable.printStackTrace "Caused by: "
  ['Caused by: java.net.UnknownHostException: postgres', 'dns'],
  ['Caused by: java.net.ConnectException: Connection refused', 'connection-refused'],
  // pgjdbc ConnectionFactoryImpl (GT.tr "Connection to {0} refused. Check that ...")
  ['Caused by: org.postgresql.util.PSQLException: Connection to postgres:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.', 'connection-refused'],
  ['Caused by: java.lang.ClassNotFoundException: org.postgresql.Driver', 'missing-module'],
  // JSSE sun.security.validator.PKIXValidator
  ['Caused by: javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target', 'tls'],
  // Spring Boot PortInUseFailureAnalyzer / DataSourceBeanCreationFailureAnalyzer descriptions
  ['Web server failed to start. Port 8080 was already in use.', 'port-in-use'],
  ["Failed to configure a DataSource: 'url' attribute is not specified and no embedded datasource could be configured.", 'config'],

  // --- nginx ---
  // src/http/ngx_http_upstream.c ngx_http_upstream_add → "host not found in upstream"; the
  // "nginx: [emerg]" form is what nginx -t / start-up prints to stderr (ngx_log_stderr)
  ['nginx: [emerg] host not found in upstream "backend:5000" in /etc/nginx/conf.d/default.conf:12', 'dns'],
  // src/core/ngx_connection.c ngx_open_listening_sockets ("bind() to %V failed")
  ['2025/06/01 11:59:47 [emerg] 1#1: bind() to 0.0.0.0:80 failed (13: Permission denied)', 'permission'],
  ['2025/06/01 11:59:47 [emerg] 1#1: bind() to 0.0.0.0:80 failed (98: Address already in use)', 'port-in-use'],
  // src/core/ngx_conf_file.c ngx_conf_handler ("unknown directive")
  ['2025/06/01 11:59:47 [emerg] 1#1: unknown directive "proxy_passs" in /etc/nginx/conf.d/default.conf:7', 'config'],
  // src/event/ngx_event_openssl.c ngx_ssl_certificate (OpenSSL 3 error string from memory)
  ['2025/06/01 11:59:47 [emerg] 1#1: cannot load certificate "/etc/nginx/tls/tls.crt": BIO_new_file() failed (SSL: error:80000002:system library::No such file or directory)', 'tls'],
  // src/event/ngx_event_connect.c / ngx_http_upstream.c ("connect() failed ... while connecting to upstream")
  ['2025/06/01 11:59:47 [error] 29#29: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 10.244.0.1, server: _, request: "GET /api/products HTTP/1.1", upstream: "http://10.96.0.15:5000/api/products", host: "shop.dhakacart.com"', 'connection-refused'],
  // src/os/unix/ngx_shmem.c (mmap failure; from memory)
  ['2025/06/01 11:59:47 [alert] 1#1: mmap(MAP_ANON|MAP_SHARED, 52428800) failed (12: Cannot allocate memory)', 'oom'],

  // --- PostgreSQL (log_line_prefix of the official image: "%m [%p] ") ---
  // src/backend/libpq/auth.c auth_failed; ClientAuthentication (pg_hba)
  ['2025-06-01 11:59:47.914 UTC [29] FATAL:  password authentication failed for user "app"', 'db-auth'],
  ['2025-06-01 11:59:47.914 UTC [29] FATAL:  no pg_hba.conf entry for host "10.244.1.5", user "app", database "dhakacart", no encryption', 'db-auth'],
  // src/backend/utils/init/miscinit.c checkDataDir
  ['2025-06-01 11:59:47.914 UTC [1] FATAL:  data directory "/var/lib/postgresql/data" has invalid permissions', 'permission'],
  // src/backend/access/transam/xlog.c (XLogFileInit write failure)
  ['2025-06-01 11:59:47.914 UTC [33] PANIC:  could not write to file "pg_wal/xlogtemp.33": No space left on device', 'disk-full'],
  // src/backend/utils/init/postinit.c
  ['2025-06-01 11:59:47.914 UTC [41] FATAL:  sorry, too many clients already', 'db-connection'],
  ['2025-06-01 11:59:47.914 UTC [41] FATAL:  database "dhakacart" does not exist', 'db-connection'],
  // src/backend/access/transam/xlog.c ReadControlFile
  ['2025-06-01 11:59:47.914 UTC [1] FATAL:  database files are incompatible with server', 'data-format'],
  // src/backend/postmaster/postmaster.c (CAC_STARTUP)
  ['2025-06-01 11:59:47.914 UTC [41] FATAL:  the database system is starting up', 'fatal'],
  ['2025-06-01 11:59:47.914 UTC [3187] ERROR:  relation "products" does not exist', 'error'],
  // src/bin/initdb/initdb.c; docker-library/postgres docker-entrypoint.sh docker_verify_minimum_env
  ['initdb: error: directory "/var/lib/postgresql/data" exists but is not empty', 'config'],
  ['Error: Database is uninitialized and superuser password is not specified.', 'config'],

  // --- Redis (serverLogRaw: "pid:role dd Mon yyyy hh:mm:ss.mmm <level char> msg") ---
  // src/rdb.c rdbLoadRio
  ["1:M 01 Jun 2025 11:59:47.914 # Can't handle RDB format version 12", 'data-format'],
  // src/server.c loadDataFromDisk (Redis 7: ", check server logs."; older ": %s.")
  ['1:M 01 Jun 2025 11:59:47.914 # Fatal error loading the DB, check server logs. Exiting.', 'data-format'],
  ['1:M 01 Jun 2025 11:59:47.914 # Fatal error loading the DB: Invalid argument. Exiting.', 'data-format'],
  // src/aof.c loadSingleAppendOnlyFile (fmterr)
  ['1:M 01 Jun 2025 11:59:47.914 # Bad file format reading the append only file: make a backup of your AOF file, then use ./redis-check-aof --fix <filename>', 'data-format'],
  // src/server.c initListeners; anetTcpServer's bind error (the "Warning: Could not create server TCP listening socket" text from memory)
  ['1:M 01 Jun 2025 11:59:47.914 # Failed listening on port 6379 (tcp), aborting.', 'port-in-use'],
  ['1:M 01 Jun 2025 11:59:47.914 # Warning: Could not create server TCP listening socket *:6379: bind: Address already in use', 'port-in-use'],
  // src/rdb.c rdbSave ("Write error saving DB on disk: %s"; from memory)
  ['1:M 01 Jun 2025 11:59:47.914 # Write error saving DB on disk: No space left on device', 'disk-full'],
  // src/server.c backgroundSaveDoneHandler ("Background saving error"; from memory)
  ['1:M 01 Jun 2025 11:59:47.914 # Background saving error', 'error'],

  // --- Fluent Bit ---
  // as quoted in fluent/fluent-bit#5145 and ministryofjustice/cloud-platform#5930
  ["[2024/08/28 08:33:34] [ warn] [engine] failed to flush chunk '1-1724036503.698002673.flb', retry in 1276 seconds: task_id=51, input=storage_backlog.4 > output=eventrouter (out_id=2)", 'dependency'],
  // src/flb_upstream.c connection timeout (from memory)
  ['[2025/06/01 11:59:47] [error] [upstream] connection #51 to tcp://10.96.0.40:9200 timed out after 10 seconds (connection timeout)', 'timeout'],
  // src/flb_network.c (from memory)
  ['[2025/06/01 11:59:47] [error] [net] TCP connection failed: fluentd.logging.svc:24224 (Connection refused)', 'connection-refused'],
  // plugins/out_es (from memory)
  ['[2025/06/01 11:59:47] [error] [output:es:es.0] HTTP status=403 URI=/_bulk, response:', 'error'],

  // --- Structured JSON ---
  // pino (levels: 50 error, 60 fatal; fields level,time,pid,hostname,msg)
  ['{"level":50,"time":1717243187914,"pid":1,"hostname":"dhakacart-backend-7d9f8c6b5d-x2x9k","msg":"connect ECONNREFUSED 10.96.0.20:5432"}', 'connection-refused'],
  ['{"level":60,"time":1717243187914,"pid":1,"hostname":"dhakacart-backend-7d9f8c6b5d-x2x9k","msg":"shutting down after uncaught exception"}', 'fatal'],
  // bunyan (same numeric levels; "v":0)
  ['{"name":"api","hostname":"x","pid":1,"level":50,"msg":"request failed","time":"2025-06-01T11:59:47.914Z","v":0}', 'error'],
  // pino's err serializer (type, message, stack)
  ['{"level":50,"time":1717243187914,"err":{"type":"Error","message":"getaddrinfo ENOTFOUND redis-service","stack":"Error: getaddrinfo ENOTFOUND redis-service"},"msg":"cache unavailable"}', 'dns'],
  // Google Cloud Logging structured payload (severity, message)
  ['{"severity":"ERROR","message":"Payment gateway returned 502","time":"2025-06-01T11:59:47.914Z"}', 'error'],
];

/** Lines that must not count as errors, though they contain the runbook's words. */
const NOT_ERRORS: string[] = [
  '2025-06-01T11:59:47.914Z info: GET /api/products 200 41ms errors=0',
  '2025-06-01T11:59:47.914Z info: health check ok (db: up, redis: up, last_error: none)',
  'INFO  [main] c.d.CheckoutService : batch done, 0 errors',
  'level=info msg="sync complete" errors=0 error_count=0',
  '{"level":30,"time":1717243187914,"msg":"request completed","err":null,"errors":0}',
  '{"level":"info","msg":"retry policy loaded","on_error":"backoff"}',
  // nginx access log of the kubelet's probe (log_format combined)
  '10.244.0.1 - - [01/Jun/2025:11:59:41 +0000] "GET /health HTTP/1.1" 200 15 "-" "kube-probe/1.30"',
  '10.244.0.1 - - [01/Jun/2025:11:59:41 +0000] "GET /api/errors/summary HTTP/1.1" 200 88 "-" "Mozilla/5.0"',
  // TypeScript diagnostic 6194 in --watch mode
  'Found 0 errors. Watching for file changes.',
  '2025-06-01 11:59:47.914 UTC [1] LOG:  database system is ready to accept connections',
  '2025-06-01 11:59:47.914 UTC [1] DETAIL:  Permissions should be u=rwx (0700) or u=rwx,g=rx (0750).',
  '1:M 01 Jun 2025 11:59:47.914 * Ready to accept connections tcp',
  // redis src/server.c linuxMemoryWarnings: printed on every start where overcommit is off
  "1:M 01 Jun 2025 11:59:47.914 # WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition. Being disabled, it can also cause failures without low memory condition, see https://github.com/jemalloc/jemalloc/issues/1328. To fix this issue add 'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or run the command 'sysctl vm.overcommit_memory=1' for this to take effect.",
  '[2025/06/01 11:59:47] [ info] [input:tail:tail.0] initializing',
  '2025/06/01 11:59:47 [notice] 1#1: start worker processes',
  '2025/06/01 11:59:47 checkout-worker started, 0 jobs failed since boot',
  'I0601 11:59:47.914123       1 leaderelection.go:250] attempting to acquire leader lease dhakacart/error-reporter...',
  '2025-06-01T11:59:47.914Z  INFO 1 --- [           main] c.d.ErrorPageConfig                      : Registered error page /error',
];

test(`corpus: ${CORPUS.length} real lines get their class`, () => {
  assert.ok(CORPUS.length >= 40);
  const wrong = CORPUS.map(([line, cls]) => ({ line, want: cls, got: classifyLine(line)?.class ?? null })).filter((r) => r.got !== r.want);
  assert.equal(wrong, []);
});

test('corpus: lines that only mention errors are not error lines', () => {
  assert.equal(NOT_ERRORS.map((l) => [l, classifyLine(l)?.class ?? null]).filter(([, c]) => c !== null), []);
});

// --- multi-line logs → the headline ---

const PY_TRACEBACK = `Traceback (most recent call last):
  File "/app/main.py", line 3, in <module>
    from app.config import Settings
  File "/app/app/config.py", line 1, in <module>
    import pydantic_settings
ModuleNotFoundError: No module named 'pydantic_settings'`;

// The frames' own words ("raise ValueError") and the outer RuntimeError are not the headline:
// the cause underneath says more than the wrapper.
const PY_CHAINED = `Traceback (most recent call last):
  File "/app/db.py", line 9, in connect
    return psycopg2.connect(dsn)
psycopg2.OperationalError: connection to server at "postgres" (10.96.0.20), port 5432 failed: Connection refused
	Is the server running on that host and accepting TCP/IP connections?

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/app/main.py", line 20, in <module>
    raise RuntimeError("database unavailable") from e
RuntimeError: database unavailable`;

const JVM_CHAIN = `2025-06-01T11:59:47.914Z ERROR 1 --- [           main] o.s.boot.SpringApplication               : Application run failed
org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'entityManagerFactory': Failed to initialize dependency 'dataSourceScriptDatabaseInitializer'
	at org.springframework.beans.factory.support.AbstractBeanFactory.doGetBean(AbstractBeanFactory.java:326)
Caused by: org.hibernate.exception.JDBCConnectionException: Unable to open JDBC Connection for DDL execution
	at org.hibernate.exception.internal.SQLStateConversionDelegate.convert(SQLStateConversionDelegate.java:100)
	... 23 more
Caused by: org.postgresql.util.PSQLException: Connection to postgres:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.
	at org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:346)
	... 40 more
Caused by: java.net.ConnectException: Connection refused
	at java.base/sun.nio.ch.Net.connect0(Native Method)
	... 52 more`;

// Spring Boot LoggingFailureAnalysisReporter's block (FailureAnalysisReporter format).
const SPRING_PORT = `2025-06-01T11:59:47.914Z ERROR 1 --- [           main] o.s.b.d.LoggingFailureAnalysisReporter   :

***************************
APPLICATION FAILED TO START
***************************

Description:

Web server failed to start. Port 8080 was already in use.

Action:

Identify and stop the process that's listening on port 8080 or configure this application to listen on another port.`;

// NoSuchBeanDefinitionFailureAnalyzer's description: no table row knows it, the block does.
const SPRING_BEAN = SPRING_PORT.replace('Web server failed to start. Port 8080 was already in use.', "Parameter 0 of constructor in com.dhakacart.CheckoutService required a bean of type 'com.dhakacart.PaymentClient' that could not be found.");

const NGINX = `/docker-entrypoint.sh: Configuration complete; ready for start up
2025/06/01 11:59:47 [warn] 1#1: the "listen ... http2" directive is deprecated, use the "http2" directive instead in /etc/nginx/conf.d/default.conf:3
nginx: [warn] the "listen ... http2" directive is deprecated, use the "http2" directive instead in /etc/nginx/conf.d/default.conf:3
2025/06/01 11:59:47 [emerg] 1#1: host not found in upstream "backend:5000" in /etc/nginx/conf.d/default.conf:12
nginx: [emerg] host not found in upstream "backend:5000" in /etc/nginx/conf.d/default.conf:12`;

const PG_PERMS = `2025-06-01 11:59:47.900 UTC [1] LOG:  starting PostgreSQL 16.2 on x86_64-pc-linux-gnu
2025-06-01 11:59:47.914 UTC [1] FATAL:  data directory "/var/lib/postgresql/data" has invalid permissions
2025-06-01 11:59:47.914 UTC [1] DETAIL:  Permissions should be u=rwx (0700) or u=rwx,g=rx (0750).`;

// src/runtime/traceback.go output after a nil dereference; "exit status 2" is go run's.
const GO_PANIC = `2025/06/01 11:59:47 starting checkout-worker
panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x6b2f1a]

goroutine 1 [running]:
main.(*Server).Start(0x0)
	/app/server.go:42 +0x1a
main.main()
	/app/main.go:17 +0x85
exit status 2`;

// node src/node_errors.cc: the GC trace, then FATAL ERROR, then native frames.
const NODE_HEAP = `<--- Last few GCs --->

[1:0x6a3e2d0]    52311 ms: Mark-Compact (reduce) 2045.8 (2083.4) -> 2045.1 (2083.9) MB, 1873.25 / 0.00 ms  (average mu = 0.112, current mu = 0.004) allocation failure; scavenge might not succeed

<--- JS stacktrace --->

FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory
----- Native stack trace -----

 1: 0xb8ced1 node::OOMErrorHandler(char const*, v8::OOMDetails const&) [node]
 2: 0xf06460 v8::Utils::ReportOOMFailure(v8::internal::Isolate*, char const*, v8::OOMDetails const&) [node]`;

// lib/events.js: an 'error' event nobody listens to, then npm's trailer.
const NODE_LISTEN = `node:events:497
      throw er; // Unhandled 'error' event
      ^

Error: listen EADDRINUSE: address already in use :::5000
    at Server.setupListenHandle [as _listen2] (node:net:1897:16)
Emitted 'error' event on Server instance at:
    at emitErrorNT (node:net:1876:8) {
  code: 'EADDRINUSE',
  errno: -98,
  syscall: 'listen',
  address: '::',
  port: 5000
}

Node.js v20.18.1
npm error code 1
npm error path /app
npm error command failed`;

const REDIS_RDB = `1:C 01 Jun 2025 11:59:47.900 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo
1:M 01 Jun 2025 11:59:47.910 # WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition.
1:M 01 Jun 2025 11:59:47.914 # Can't handle RDB format version 12
1:M 01 Jun 2025 11:59:47.914 # Fatal error loading the DB, check server logs. Exiting.`;

const HEADLINES: [name: string, log: string, line: string, cls: LogClass][] = [
  ["Python: the traceback's last line", PY_TRACEBACK, "ModuleNotFoundError: No module named 'pydantic_settings'", 'missing-module'],
  ['Python: a chained traceback is headlined by its specific cause', PY_CHAINED, 'psycopg2.OperationalError: connection to server at "postgres" (10.96.0.20), port 5432 failed: Connection refused', 'connection-refused'],
  ['JVM: the deepest Caused by', JVM_CHAIN, 'Caused by: java.net.ConnectException: Connection refused', 'connection-refused'],
  ["Spring Boot: the failure analysis' Description", SPRING_PORT, 'Web server failed to start. Port 8080 was already in use.', 'port-in-use'],
  ['Spring Boot: a Description no row knows', SPRING_BEAN, "Parameter 0 of constructor in com.dhakacart.CheckoutService required a bean of type 'com.dhakacart.PaymentClient' that could not be found.", 'fatal'],
  ['nginx: [emerg] over [warn]', NGINX, 'nginx: [emerg] host not found in upstream "backend:5000" in /etc/nginx/conf.d/default.conf:12', 'dns'],
  ['PostgreSQL: FATAL over LOG and DETAIL', PG_PERMS, '2025-06-01 11:59:47.914 UTC [1] FATAL:  data directory "/var/lib/postgresql/data" has invalid permissions', 'permission'],
  ['Go: the panic, not the goroutine frames or go run', GO_PANIC, 'panic: runtime error: invalid memory address or nil pointer dereference', 'panic'],
  ['Node.js: heap exhaustion, not the native frames', NODE_HEAP, 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory', 'oom'],
  ["Node.js: the error, not the source excerpt or npm's trailer", NODE_LISTEN, 'Error: listen EADDRINUSE: address already in use :::5000', 'port-in-use'],
  ['Redis: the cause over "Fatal error loading"', REDIS_RDB, "1:M 01 Jun 2025 11:59:47.914 # Can't handle RDB format version 12", 'data-format'],
];

for (const [name, log, line, cls] of HEADLINES) {
  test(`headline: ${name}`, () => {
    const ex = errorLines(logs(log), 5);
    assert.is(ex.headline?.line, line);
    assert.is(ex.headline?.class, cls);
    assert.ok(ex.lines.includes(line), 'the headline is among the lines shown');
    assert.not.ok(ex.lines.some((l) => /^\s|^npm error|^goroutine|^\.\.\. \d+ more/.test(l)), `no frame or trailer shown: ${ex.lines.join(' | ')}`);
  });
}

test('a level word inside the message does not hide the error', () => {
  assert.is(classifyLine('Error: failed to load user info: timed out after 5000ms')?.class, 'timeout');
  assert.is(classifyLine('2025-06-01T11:59:47.914Z error: cannot refresh debug: flags (ECONNREFUSED 10.96.0.40:6379)')?.class, 'connection-refused');
  assert.is(classifyLine('[2025-06-01 11:59:47,914] INFO Kafka version: 3.7.0')?.class ?? null, null);
  assert.is(classifyLine('2025-06-01 11:59:47,914 - checkout - INFO - retry queue has 0 errors')?.class ?? null, null);
});

test('every row of the pattern table is exercised by a corpus line, and cites a source', () => {
  const lines = [...CORPUS.map(([l]) => l), ...HEADLINES.flatMap(([, log]) => log.split('\n'))];
  assert.equal(LOG_PATTERNS.filter((p) => !lines.some((l) => p.re.test(l))).map((p) => p.re.source), []);
  assert.equal(LOG_PATTERNS.filter((p) => p.source.length < 10 || p.meaning.length < 5).map((p) => p.re.source), []);
});

test('the headline stays among the lines shown when later, vaguer lines would push it out', () => {
  const log = ['Error: getaddrinfo ENOTFOUND redis-service', 'error: retry 1', 'error: retry 2', 'error: retry 3'].join('\n');
  const ex = errorLines(logs(log), 2);
  assert.equal(ex.lines, ['Error: getaddrinfo ENOTFOUND redis-service', 'error: retry 3']);
});

test('the runtime is read from lines only it prints, else from its own error lines', () => {
  const cases: [string, string | null][] = [[NODE_LISTEN, 'node'], [GO_PANIC, 'go'], [PY_TRACEBACK, 'python'], [JVM_CHAIN, 'jvm'], [NGINX, 'nginx'], [PG_PERMS, 'postgres'], [REDIS_RDB, 'redis'],
    ['Fluent Bit v3.1.9\n[2025/06/01 11:59:47] [error] [output:es:es.0] HTTP status=403 URI=/_bulk, response:', 'fluent-bit'], ['Error: connect ECONNREFUSED 127.0.0.1:5432', null]];
  assert.equal(cases.map(([log]) => logRuntime(logs(log))), cases.map(([, r]) => r));
});

test('scanLog: a Python traceback frame that raises an Error is not an error line', () => {
  assert.equal(scanLog(PY_CHAINED).filter((h) => !h.noise).map((h) => h.class), ['connection-refused', 'error']);
});

// --- what the rules and the output make of it ---

test('crash: the summary quotes the headline with its class and meaning', () => {
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 1 })] });
  const d = diagnosePod(worldSnapshot(w, { logs: { [w.pod.metadata.name]: { backend: logs(NODE_LISTEN) } } }), w.pod.metadata.name);
  assert.is(d.cause, 'crash');
  assert.match(d.summary, /Log headline \(port-in-use: the port is already taken\): "Error: listen EADDRINUSE: address already in use :::5000"/);
  assert.match(d.summary, /exits with code 1 \(Node\.js: an uncaught exception or unhandled rejection, or the app called process\.exit\(1\)\)/, 'the runtime is read from the log');
});

test('crash: a Go panic exits 2, and 2 is said to be the Go runtime, not a shell builtin', () => {
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 2 })] });
  const d = diagnosePod(worldSnapshot(w, { logs: { [w.pod.metadata.name]: { backend: logs(GO_PANIC) } } }), w.pod.metadata.name);
  assert.match(d.summary, /exits with code 2 \(Go: a panic or fatal runtime error/);
  assert.match(d.summary, /Log headline \(panic\): "panic: runtime error/);
});

test('crash: nothing looks like an error → the plain tail, labelled so, not a bare exit code', () => {
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 3 })] });
  const log = '2025-06-01T11:59:40Z info: starting\nloading catalogue shard 7 of 12\nshard 7: checksum mismatch, giving up';
  const d = diagnosePod(worldSnapshot(w, { logs: { [w.pod.metadata.name]: { backend: logs(log) } } }), w.pod.metadata.name, { logLines: 2 });
  assert.match(d.summary, /Last log line \(previous log, no line looks like an error\): "shard 7: checksum mismatch, giving up"/);
  assert.equal(d.evidence.filter((e) => e.source === 'log').map((e) => e.detail), ['previous log, no line looks like an error: shard 7: checksum mismatch, giving up'], 'the evidence quotes the last line; the output shows the tail');
});

test('crash: with no log left, the termination message is the evidence and gives the headline', () => {
  const message = 'migration 20250313181502 failed\nError: getaddrinfo ENOTFOUND postgres-primary';
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 1, message })] });
  const d = diagnosePod(worldSnapshot(w, { logs: { [w.pod.metadata.name]: { backend: logs(null, null) } } }), w.pod.metadata.name);
  assert.match(d.summary, /Log headline \(dns: a host name does not resolve\): "Error: getaddrinfo ENOTFOUND postgres-primary"/);
  assert.ok(d.evidence.some((e) => e.detail === 'termination message: Error: getaddrinfo ENOTFOUND postgres-primary'), JSON.stringify(d.evidence));
  assert.ok(d.evidence.some((e) => /^lastState\.terminated of backend: Error, exit 1 .*: Error: getaddrinfo ENOTFOUND postgres-primary$/.test(e.detail)), 'a multi-line message is not glued into one line');
});

test('db: a pino JSON line with the database rejecting the credentials is db', () => {
  const w = backendWorld({ containers: [container('backend', { env: [{ name: 'DB_HOST', value: 'postgres-service' }] })], statuses: [crashLooping('backend', { exitCode: 1 })] });
  const line = '{"level":50,"time":1717243187914,"msg":"password authentication failed for user \\"app\\""}';
  const d = diagnosePod(worldSnapshot(w, { services: [dbService({ ready: 1 })], logs: { [w.pod.metadata.name]: { backend: logs(line) } } }), w.pod.metadata.name);
  assert.is(d.cause, 'db');
  assert.match(d.summary, /the database rejects the credentials/);
});

test('db: an INFO line that mentions a refused connection is not evidence', () => {
  const w = backendWorld({ containers: [container('backend', { env: [{ name: 'DB_HOST', value: 'postgres-service' }] })], statuses: [crashLooping('backend', { exitCode: 1 })] });
  const line = '2025-06-01T11:59:40Z info: postgres pool: 0 connection refused errors in the last hour';
  const d = diagnosePod(worldSnapshot(w, { services: [dbService({ ready: 1 })], logs: { [w.pod.metadata.name]: { backend: logs(line) } } }), w.pod.metadata.name);
  assert.is(d.cause, 'crash');
});

test('config: an nginx [emerg] on a directive is a configuration finding', () => {
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 1 })] });
  const log = '2025/06/01 11:59:47 [emerg] 1#1: unknown directive "proxy_passs" in /etc/nginx/conf.d/default.conf:7';
  const d = diagnosePod(worldSnapshot(w, { logs: { [w.pod.metadata.name]: { backend: logs(log) } } }), w.pod.metadata.name);
  assert.is(d.cause, 'config');
  assert.match(d.summary, /unknown directive "proxy_passs"/);
});

test('oom: a JVM OutOfMemoryError is the heap inside the process', () => {
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 1 })] });
  const d = diagnosePod(worldSnapshot(w, { logs: { [w.pod.metadata.name]: { backend: logs('Exception in thread "main" java.lang.OutOfMemoryError: Java heap space') } } }), w.pod.metadata.name);
  assert.is(d.cause, 'oom');
  assert.match(d.summary, /ran out of heap inside the process/);
});

test('exit codes: runtime-specific meanings, from the log or the image', () => {
  assert.match(decodeExit({ exitCode: 134 }, 'node').meaning, /V8 heap is exhausted/);
  assert.is(decodeExit({ exitCode: 134 }, 'node').signal, 6);
  assert.match(decodeExit({ exitCode: 13 }, 'node').meaning, /top-level await/);
  assert.match(decodeExit({ exitCode: 9 }, 'node').meaning, /invalid argument/);
  assert.match(decodeExit({ exitCode: 7 }, 'node').meaning, /handler itself threw/);
  assert.match(decodeExit({ exitCode: 2 }, 'go').meaning, /panic/);
  assert.match(decodeExit({ exitCode: 2 }).meaning, /shell builtin/, 'unknown runtime: the generic meaning');
  assert.match(decodeExit({ exitCode: 137 }, 'jvm').meaning, /SIGKILL/, 'a signal the runtime does not choose keeps its signal meaning');
  assert.equal(['node:20-alpine', 'docker.io/library/postgres:16.2', 'bitnami/redis:7.2', 'cr.fluentbit.io/fluent/fluent-bit:3.1.9', 'nginxinc/nginx-unprivileged:1.27', 'eclipse-temurin:21-jre', 'dhakacart/backend:v1.4.2'].map(runtimeOfImage),
    ['node', 'postgres', 'redis', 'fluent-bit', 'nginx', 'jvm', null]);
});

test('why output: the headline with its class, and a plain tail titled as such', () => {
  const c = makeColors(false);
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 1 })] });
  const s = worldSnapshot(w, { logs: { [w.pod.metadata.name]: { backend: logs(NGINX) } } });
  const out = renderDiagnosis(diagnosePod(s, w.pod.metadata.name, { logLines: 5 }), s, Date.parse(s.capturedAt), c);
  assert.match(out, /Last error lines \(previous log\):\n/);
  assert.match(out, /Headline \(dns: a host name does not resolve\): nginx: \[emerg\] host not found in upstream "backend:5000"/);
  const quiet = worldSnapshot(w, { logs: { [w.pod.metadata.name]: { backend: logs('starting\nshard 7: checksum mismatch, giving up') } } });
  const out2 = renderDiagnosis(diagnosePod(quiet, w.pod.metadata.name, { logLines: 5 }), quiet, Date.parse(quiet.capturedAt), c);
  assert.match(out2, /Last log lines \(previous log, no line looks like an error\):\n  starting\n  shard 7: checksum mismatch, giving up\n/);
  assert.not.match(out2, /Headline/);
  const one = worldSnapshot(w, { logs: { [w.pod.metadata.name]: { backend: logs("TypeError: Cannot read properties of undefined (reading 'amount')") } } });
  assert.not.match(renderDiagnosis(diagnosePod(one, w.pod.metadata.name, { logLines: 5 }), one, Date.parse(one.capturedAt), c), /Headline/, 'one generic line: no headline repeating it');
});

test.run();
