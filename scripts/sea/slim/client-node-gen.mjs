// What client-node's config.js takes from its generated index (gen/index.js), without the
// generated API classes and models behind that index, which KubeConfig never uses.
export { createConfiguration } from '@kubernetes/client-node/dist/gen/configuration.js';
export { ServerConfiguration } from '@kubernetes/client-node/dist/gen/servers.js';
