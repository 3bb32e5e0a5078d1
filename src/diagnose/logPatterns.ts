/**
 * What a log line means, as data: regex → class, how specific it is, the runtime that prints
 * it, and where the text comes from. Rules ask for classes (`oom`, `db-auth`, ...), never for
 * their own regexes, so a new server's wording is one row here plus a corpus line in
 * test/diagnose/logCorpus.test.ts.
 */

export type LogClass =
  | 'oom' | 'disk-full' | 'db-auth' | 'cache-auth' | 'db-connection' | 'dns' | 'connection-refused' | 'connection-reset' | 'timeout'
  | 'port-in-use' | 'permission' | 'config' | 'missing-module' | 'tls' | 'data-format' | 'dependency'
  | 'panic' | 'fatal' | 'error';

export type Runtime = 'node' | 'go' | 'python' | 'jvm' | 'nginx' | 'postgres' | 'redis' | 'fluent-bit' | 'any';

export interface LogPattern {
  re: RegExp;
  class: LogClass;
  /** Higher wins the headline; equal ones go to the later line (the deepest `Caused by:`, a traceback's last line). */
  specificity: number;
  runtime: Runtime;
  /** What the line tells the on-call engineer, in a few words. */
  meaning: string;
  /** Where the text comes from: the project's source file or documentation. */
  source: string;
}

/** The specificity scale. */
export const LEVEL = 1; // only a level says it is an error
export const EXCEPTION = 2; // an exception or error object is named
export const FATAL = 3; // the process says it stops
export const STOPS = 4; // it stops, and names the area (a Go panic, Spring Boot's failure analysis)
export const CAUSE = 5; // it says why

const p = (re: RegExp, cls: LogClass, specificity: number, runtime: Runtime, meaning: string, source: string): LogPattern =>
  ({ re, class: cls, specificity, runtime, meaning, source });

// The order matters only among equal specificities on one line: the first row wins.
export const LOG_PATTERNS: LogPattern[] = [
  // Memory inside the process (the runtime's own limit, below the container's).
  p(/JavaScript heap out of memory|Reached heap limit/, 'oom', CAUSE, 'node', 'the V8 heap is exhausted', 'v8 src/heap/heap.cc FatalProcessOutOfMemory; node src/node_errors.cc OOMErrorHandler ("FATAL ERROR: ... JavaScript heap out of memory")'),
  p(/java\.lang\.OutOfMemoryError/, 'oom', CAUSE, 'jvm', 'the JVM heap (or metaspace) is exhausted', 'Java SE API docs, java.lang.OutOfMemoryError'),
  p(/fatal error: runtime: out of memory/, 'oom', CAUSE, 'go', 'the Go runtime could not get memory', 'go src/runtime/malloc.go throw("runtime: out of memory")'),
  p(/^(?:\w+\.)*MemoryError\b/, 'oom', CAUSE, 'python', 'Python could not allocate memory', 'Python docs, built-in exceptions: MemoryError'),
  p(/Cannot allocate memory|\bENOMEM\b/, 'oom', CAUSE, 'any', 'an allocation failed (ENOMEM)', 'errno ENOMEM, strerror text (glibc)'),
  p(/OOM command not allowed when used memory > 'maxmemory'/, 'dependency', CAUSE, 'redis', 'Redis is at its maxmemory and refuses writes', 'redis src/server.c shared.oomerr'),

  // A full filesystem.
  p(/No space left on device|\bENOSPC\b|could not extend file|disk (?:is )?full/i, 'disk-full', CAUSE, 'any', 'the disk is full', 'errno ENOSPC (glibc strerror); postgres src/backend/storage/smgr/md.c "could not extend file"'),

  // Database answers only a database gives.
  p(/password authentication failed|authentication failed for user|Access denied for user|no pg_hba\.conf entry for host|role "[^"]+" does not exist/i, 'db-auth', CAUSE, 'postgres', 'the database rejects the credentials', 'postgres src/backend/libpq/auth.c (auth_failed, "no pg_hba.conf entry"); MySQL error 1045 ER_ACCESS_DENIED_ERROR'),
  // Redis 6+ answers a wrong password with WRONGPASS (ACL), a missing one with NOAUTH; Redis < 6 said "ERR invalid password".
  p(/\bWRONGPASS\b|\bNOAUTH\b|ERR invalid password|invalid username-password pair|AuthenticationError: (?:Authentication required|invalid username-password)/, 'cache-auth', CAUSE, 'redis', 'Redis rejects the credentials', 'redis src/server.c shared.noautherr ("-NOAUTH Authentication required."); src/acl.c ACLCheckUserCredentials ("-WRONGPASS invalid username-password pair or user is disabled."); redis 5 src/server.c authCommand ("-ERR invalid password"); redis-py redis/exceptions.py AuthenticationError'),
  p(/too many (?:clients|connections)|remaining connection slots are reserved/i, 'db-connection', CAUSE, 'postgres', 'the database has no free connections', 'postgres src/backend/storage/ipc/procarray.c / utils/init/postinit.c ("sorry, too many clients already"); MySQL ER_CON_COUNT_ERROR'),
  p(/database "[^"]+" does not exist|Unknown database/i, 'db-connection', CAUSE, 'postgres', 'the database named in the settings does not exist', 'postgres src/backend/utils/init/postinit.c; MySQL ER_BAD_DB_ERROR'),
  p(/the database system is (?:starting up|in recovery mode|shutting down)/, 'fatal', STOPS, 'postgres', 'PostgreSQL is not accepting connections (recovering or stopping)', 'postgres src/backend/postmaster/postmaster.c (CAC_STARTUP "the database system is starting up")'),
  p(/database files are incompatible with server/, 'data-format', CAUSE, 'postgres', 'the data directory was made by another PostgreSQL major version', 'postgres src/backend/access/transam/xlog.c ReadControlFile'),

  // Names and connections.
  p(/\bENOTFOUND\b|\bEAI_AGAIN\b|getaddrinfo|could not translate host name|Name or service not known|no such host|UnknownHostException|host not found in upstream|Temporary failure in name resolution/i, 'dns', CAUSE, 'any', 'a host name does not resolve', 'node lib/internal/errors.js (getaddrinfo ENOTFOUND); go net/dnsclient ("no such host"); libpq fe-connect.c; nginx src/http/ngx_http_upstream.c ("host not found in upstream")'),
  p(/\bECONNREFUSED\b|connection refused|Connection to \S+ refused/i, 'connection-refused', CAUSE, 'any', 'connection refused', 'errno ECONNREFUSED (strerror "Connection refused"); pgjdbc ConnectionFactoryImpl ("Connection to localhost:5432 refused")'),
  p(/\bECONNRESET\b|Connection terminated unexpectedly|connection reset by peer/i, 'connection-reset', CAUSE, 'any', 'the connection is dropped', 'errno ECONNRESET; node-postgres lib/client.js ("Connection terminated unexpectedly")'),
  p(/\bETIMEDOUT\b|\btimed out\b|\bi\/o timeout\b|\bconnect(?:ion)? ?time ?out\b|timeout (?:expired|exceeded)|\btimeout after \d+ seconds/i, 'timeout', CAUSE, 'any', 'the connection times out', 'errno ETIMEDOUT; go net ("i/o timeout"); libpq ("timeout expired"); fluent-bit src/flb_upstream.c ("connection #%i timeout after %i seconds")'),
  p(/\bEADDRINUSE\b|address already in use|Port \d+ was already in use|Failed listening on port \d+/i, 'port-in-use', CAUSE, 'any', 'the port is already taken', 'errno EADDRINUSE; Spring Boot PortInUseFailureAnalyzer; redis src/server.c listenToPort ("Failed listening on port %u (%s), aborting.")'),

  // TLS.
  p(/x509: |\bCERT_HAS_EXPIRED\b|self[- ]signed certificate|unable to verify the first certificate|CERTIFICATE_VERIFY_FAILED|PKIX path building failed|SSLHandshakeException|cannot load certificate/i, 'tls', CAUSE, 'any', 'a TLS certificate is rejected or missing', 'go crypto/x509 errors; node/OpenSSL X509 verify texts; JSSE sun.security.validator; nginx ngx_ssl_certificate ("cannot load certificate")'),

  // Permissions.
  p(/\bEACCES\b|\bEPERM\b|Permission denied|Operation not permitted|has invalid permissions/i, 'permission', CAUSE, 'any', 'permission denied', 'errno EACCES/EPERM (strerror); postgres src/backend/utils/init/miscinit.c checkDataDir ("data directory ... has invalid permissions")'),

  // Code that is not there.
  p(/Cannot find (?:module|package) |ERR_MODULE_NOT_FOUND|ModuleNotFoundError|No module named|ImportError: |ClassNotFoundException|NoClassDefFoundError/, 'missing-module', CAUSE, 'any', 'code the program imports is missing from the image', 'node lib/internal/modules/cjs/loader.js ("Cannot find module"); Python docs ModuleNotFoundError; Java SE API ClassNotFoundException'),

  // Data files the server cannot read.
  p(/Can't handle RDB format version|Bad file format reading the append only file|Unexpected end of file reading the append only file|Wrong signature trying to load DB from file/, 'data-format', CAUSE, 'redis', 'Redis cannot read its data files (newer format, or corrupt)', 'redis src/rdb.c rdbLoadRio; src/aof.c loadSingleAppendOnlyFile'),
  p(/Fatal error loading the DB/, 'data-format', STOPS, 'redis', 'Redis cannot load its data', 'redis src/server.c loadDataFromDisk ("Fatal error loading the DB: %s. Exiting.")'),
  p(/\bMISCONF\b/, 'dependency', CAUSE, 'redis', 'Redis cannot persist to disk and refuses writes', 'redis src/server.c shared.bgsaveerr ("-MISCONF Redis is configured to save RDB snapshots ...")'),

  // A log shipper that cannot deliver.
  p(/\[engine\] (?:failed to flush chunk|chunk '[^']+' cannot be retried)/, 'dependency', CAUSE, 'fluent-bit', 'Fluent Bit cannot deliver to its output', 'fluent-bit src/flb_engine.c (handle_output_event); texts as quoted in fluent/fluent-bit#5145'),

  // Settings.
  p(/missing required (?:env(?:ironment)?(?: var(?:iable)?)?|config(?:uration)?|setting|variable)|invalid configuration|config(?:uration)? (?:validation )?error|environment variable \S+ (?:is )?(?:not set|required|missing|undefined)|\b[A-Z][A-Z0-9_]{2,} (?:is|must be) (?:not set|required|missing|undefined|set)/i, 'config', CAUSE, 'any', 'a required setting is missing or invalid', 'common application wording (envalid, convict, pydantic-settings); not one project'),
  p(/unknown directive "|directive is not allowed here|invalid number of arguments in "|no "events" section in configuration/, 'config', CAUSE, 'nginx', 'the nginx configuration is invalid', 'nginx src/core/ngx_conf_file.c'),
  p(/superuser password is not specified|You must specify POSTGRES_PASSWORD/, 'config', CAUSE, 'postgres', 'POSTGRES_PASSWORD is not set for a new database', 'docker-library/postgres docker-entrypoint.sh docker_verify_minimum_env'),
  p(/initdb: error: directory "[^"]+" exists but is not empty|It contains a lost\+found directory/, 'config', CAUSE, 'postgres', 'the data directory is a non-empty mount point: set PGDATA to a subdirectory', 'postgres src/bin/initdb/initdb.c'),
  p(/Failed to configure a DataSource|Could not resolve placeholder|Failed to bind properties under/, 'config', CAUSE, 'jvm', 'a Spring property is missing or invalid', 'Spring Boot DataSourceBeanCreationFailureAnalyzer, PropertySourcesPlaceholderConfigurer, BindFailureAnalyzer'),
  p(/no such file or directory|\bENOENT\b/i, 'config', STOPS, 'any', 'a file it needs is missing', 'errno ENOENT (strerror "No such file or directory")'),

  // The process stops, with no better reason given.
  p(/^panic: /, 'panic', STOPS, 'go', 'a Go panic', 'go src/runtime/panic.go printpanics ("panic: ")'),
  p(/^fatal error: /, 'fatal', STOPS, 'go', 'a fatal Go runtime error', 'go src/runtime/panic.go fatal/throw ("fatal error: ")'),
  p(/^FATAL ERROR: /, 'fatal', FATAL, 'node', 'V8 aborted the process', 'node src/api/hooks.cc / node_errors.cc OnFatalError ("FATAL ERROR: ")'),
  p(/^\[UnhandledPromiseRejection: /, 'error', EXCEPTION, 'node', 'an unhandled promise rejection', 'node lib/internal/process/promises.js (UnhandledPromiseRejection)'),
  p(/^Exception in thread "[^"]*" /, 'error', EXCEPTION, 'jvm', 'an uncaught JVM exception', 'OpenJDK java.lang.Thread dispatchUncaughtException ("Exception in thread \\"main\\" ")'),
  p(/^Caused by: /, 'error', EXCEPTION, 'jvm', 'a JVM exception cause', 'Java SE API java.lang.Throwable.printStackTrace ("Caused by: ")'),
  p(/^\s*(?:[\w$]+\.)*\w*(?:Error|Exception)(?::|\s|$)/, 'error', EXCEPTION, 'any', 'an exception', 'the toString of an error object: node util.inspect, Python traceback, Java Throwable'),
  p(/\[(?:emerg|alert|crit)\]/, 'fatal', FATAL, 'nginx', 'nginx stops', 'nginx src/core/ngx_log.c err_levels'),
  p(/\b(?:PANIC|FATAL):  /, 'fatal', FATAL, 'postgres', 'PostgreSQL ends the session or the server', 'postgres src/backend/utils/error/elog.c error_severity'),
  p(/\bERROR:  /, 'error', LEVEL, 'postgres', 'PostgreSQL reports an error', 'postgres src/backend/utils/error/elog.c error_severity'),
  p(/^\[[\d/ :]+\] \[error\] \[/, 'error', LEVEL, 'fluent-bit', 'Fluent Bit reports an error', 'fluent-bit src/flb_log.c ("[error]")'),
  // Redis logs at warning level (#) what makes it stop; `# WARNING ...` is advice it prints on every start.
  p(/^\d+:[CMSX] \d{1,2} \w{3} \d{4} [\d:.]+ # (?!WARNING\b)/, 'error', LEVEL, 'redis', 'Redis reports a problem', 'redis src/server.c serverLogRaw (levels . - * #)'),
  // klog/glog headers carry the level as their first letter (F fatal, E error).
  p(/^F\d{4} \d{2}:\d{2}:\d{2}/, 'fatal', FATAL, 'go', 'the program says it stops (klog Fatal)', 'k8s.io/klog/v2 klog.go header format (Lmmdd hh:mm:ss.uuuuuu)'),
  p(/^E\d{4} \d{2}:\d{2}:\d{2}/, 'error', LEVEL, 'go', 'an error is logged (klog Error)', 'k8s.io/klog/v2 klog.go header format (Lmmdd hh:mm:ss.uuuuuu)'),
  // Go's log.Fatal prints no level: the standard logger's prefix, then what failed and, after
  // a colon, the wrapped error (`failed to X: err`); a count (`0 jobs failed`) has no colon.
  p(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? (?!\[).*\b(?:failed|failure|cannot|can't|unable to|could not)\b[^:]*: /i, 'error', LEVEL, 'go', 'a Go log line reports a failure (log.Fatal prints no level)', 'go src/log/log.go (LstdFlags prefix "2009/11/10 23:00:00 "); log.Fatal = Print + os.Exit(1)'),
  p(/(?:^|[\s[|(])(?:FATAL|fatal|Fatal|PANIC|panic|CRITICAL|critical|CRIT|EMERG|ALERT)(?=[\]:|)\s]|$)|\blevel=(?:fatal|panic|crit(?:ical)?)\b/, 'fatal', FATAL, 'any', 'the program says it stops', 'common log level names (syslog RFC 5424, logfmt level=)'),
  p(/(?:^|[\s[|(])(?:ERROR|ERR|SEVERE|error|err|Error|eror)(?=[\]:|)\s]|$)|\blevel=(?:error|err)\b/, 'error', LEVEL, 'any', 'an error is logged', 'common log level names (syslog RFC 5424, logfmt level=)'),
];

/**
 * Lines that explicitly carry a level below warning: not errors, whatever words follow
 * (`info: request done errors=0`). Matched on the line's first characters only.
 */
export const LOW_LEVEL: { re: RegExp; source: string }[] = [
  // Upper case anywhere in the prefix; lower case only as the first word or right after a timestamp,
  // so `Error: failed to load user info: timeout` keeps its error.
  { re: /(?:^|[\s[|(])(?:INFO|DEBUG|TRACE|NOTICE)(?=[\]:|)\s]|$)|^(?:\S*\d\S*\s+)?\[?(?:info|debug|trace|notice|Info|Debug)(?=[\]:|)\s]|$)|\blevel=(?:info|debug|trace|notice)\b/, source: 'common log level names (winston "info:", log4j/logback/Spring "INFO", Python logging)' },
  { re: /\[ ?(?:info|debug|notice|trace)\]/, source: 'nginx ngx_log.c; fluent-bit flb_log.c ("[ info]")' },
  { re: /\b(?:LOG|DEBUG\d?|INFO|NOTICE|DETAIL|HINT|STATEMENT|CONTEXT):  /, source: 'postgres elog.c error_severity' },
  { re: /^\d+:[CMSX] \d{1,2} \w{3} \d{4} [\d:.]+ [.*-] /, source: 'redis src/server.c serverLogRaw' },
  { re: /^[IDV]\d{4} \d{2}:\d{2}:\d{2}/, source: 'klog/glog header (I0601 12:00:00.000000)' },
];
/** How far into a line a level word is looked for. */
export const LEVEL_PREFIX = 64;

/**
 * Continuation lines that matter only beside the line they belong to: stack frames, source
 * excerpts, wrapper trailers. They are shown only when nothing else matched.
 */
export const NOISE: { re: RegExp; source: string }[] = [
  { re: /^\s/, source: 'stack frames and excerpts are indented: node "    at f (file:1:2)", Python "  File ...", JVM "\\tat ...", Go "\\t/app/main.go:17 +0x85"' },
  { re: /^\s*(?:npm (?:ERR!|error\b)|error Command failed with exit code \d+)/, source: 'npm lib/utils/error-message.js / exit-handler.js; yarn 1 "error Command failed with exit code 1."' },
  { re: /^goroutine \d+ \[[^\]]+\]:$|^(?:[\w.-]+\/)*[\w.-]+\.(?:\(\*?\w+\)\.)?[\w.]+\(.*\)$|^exit status \d+$|^\[signal /, source: 'go src/runtime/traceback.go (goroutine headers, frames); go run ("exit status 2")' },
  { re: /^Traceback \(most recent call last\):$|^During handling of the above exception|^The above exception was the direct cause/, source: 'CPython Lib/traceback.py' },
  { re: /^\s*\.\.\. \d+ (?:more|common frames omitted)$/, source: 'Java Throwable.printStackTrace; logback' },
];

/** Lines only one runtime prints, for reading its exit code even when the error line itself is generic. */
export const RUNTIME_MARKERS: { re: RegExp; runtime: Runtime; source: string }[] = [
  { re: /^Node\.js v\d+\.\d+|^node:(?:internal\/|events:)|^npm (?:ERR!|error) /, runtime: 'node', source: 'node lib/internal/process/execution.js (the "Node.js vX" line after an uncaught exception); npm exit-handler' },
  { re: /^goroutine \d+ \[[^\]]+\]:$/, runtime: 'go', source: 'go src/runtime/traceback.go' },
  { re: /^Traceback \(most recent call last\):$/, runtime: 'python', source: 'CPython Lib/traceback.py' },
  { re: /^\tat [\w$.\/]+\(|^Exception in thread "/, runtime: 'jvm', source: 'Java Throwable.printStackTrace' },
  { re: /^nginx: \[|\[(?:emerg|alert|crit|error|warn|notice)\] \d+#\d+: /, runtime: 'nginx', source: 'nginx src/core/ngx_log.c' },
  { re: /LOG:  starting PostgreSQL |^initdb: /, runtime: 'postgres', source: 'postgres postmaster.c; initdb.c' },
  { re: /Redis is starting|^\d+:[CMSX] \d{1,2} \w{3} \d{4} [\d:.]+ [.*#-] /, runtime: 'redis', source: 'redis src/server.c' },
  { re: /^Fluent Bit v\d|^\[\d{4}\/\d{2}\/\d{2} [\d:]+\] \[ ?(?:info|warn|error|debug)\] \[/, runtime: 'fluent-bit', source: 'fluent-bit src/fluent-bit.c banner; src/flb_log.c' },
];

/** Structured logs: the level field and its values (pino/bunyan numbers: 50 error, 60 fatal). */
export const JSON_LEVEL_FIELDS = ['level', 'severity', 'lvl', 'log.level', 'levelname', '@l'];
export const JSON_TEXT_FIELDS = ['msg', 'message', 'error', 'err', 'exception', 'stack', '@m', 'event'];
export function jsonLevel(v: unknown): 'low' | 'warn' | 'error' | 'fatal' | null {
  if (typeof v === 'number') return v >= 60 ? 'fatal' : v >= 50 ? 'error' : v >= 40 ? 'warn' : 'low'; // pino/bunyan levels
  if (typeof v !== 'string') return null;
  const s = v.toLowerCase();
  if (/^(?:fatal|panic|crit(?:ical)?|emerg(?:ency)?|alert|dpanic)$/.test(s)) return 'fatal';
  if (/^(?:error|err|eror|severe)$/.test(s)) return 'error';
  if (/^(?:warn(?:ing)?)$/.test(s)) return 'warn';
  return 'low';
}

/**
 * Lines that say which port the process listens on, the captured group being the port: what
 * probe analysis compares the probe's port with. Not errors, so kept apart from LOG_PATTERNS.
 */
export const LISTENING: { re: RegExp; runtime: Runtime; source: string }[] = [
  { re: /\blistening on (?:port |http:\/\/[^\s:]*:|https:\/\/[^\s:]*:|\[?[\w.:]*\]?:)?(\d{2,5})\b/i, runtime: 'any', source: 'express/node http.Server examples ("listening on port 5000"); Go net/http apps ("Listening on :8080")' },
  { re: /Started ServerConnector@\w+\{[^}]*\}\{[\d.:\[\]]*:(\d{2,5})\}/, runtime: 'jvm', source: 'Jetty org.eclipse.jetty.server.AbstractConnector doStart ("Started ServerConnector@6d0b5baf{HTTP/1.1, (http/1.1)}{0.0.0.0:8080}")' },
  { re: /Tomcat started on port\(?s?\)?:? (\d{2,5})/, runtime: 'jvm', source: 'Spring Boot TomcatWebServer ("Tomcat started on port(s): 8080 (http)")' },
  { re: /Uvicorn running on https?:\/\/[^\s:]+:(\d{2,5})/, runtime: 'python', source: 'uvicorn/server.py ("Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)")' },
  { re: /Listening at: https?:\/\/[^\s:]+:(\d{2,5})/, runtime: 'python', source: 'gunicorn/arbiter.py ("Listening at: http://0.0.0.0:8000 (1)")' },
  { re: /^\s*listen\s+(?:[\d.]+:)?(\d{2,5})\b[^;]*;/, runtime: 'nginx', source: 'nginx ngx_http_core_module "listen" directive, as nginx -T prints the configuration' },
  { re: /Running mode=\w+, port=(\d{2,5})/, runtime: 'redis', source: 'redis src/server.c ("Running mode=standalone, port=6379.")' },
  { re: /listening on IPv4 address "[^"]+", port (\d{2,5})/, runtime: 'postgres', source: 'postgres src/backend/libpq/pqcomm.c ListenServerPort' },
];
