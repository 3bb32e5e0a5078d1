// What src/ takes from @kubernetes/client-node, from the modules that define it. The package
// index loads every module (watch, exec, port-forward, cp, informers, all generated APIs
// and models) before main runs; esbuild fails the build if src/ asks for a name not here.
export { KubeConfig } from '@kubernetes/client-node/dist/config.js';
export { HttpMethod, RequestContext, ResponseContext } from '@kubernetes/client-node/dist/gen/http/http.js';
export { IsomorphicFetchHttpLibrary } from '@kubernetes/client-node/dist/gen/http/isomorphic-fetch.js';
