// The public API of @lakewatch/shared. Each area appends its exports in its own section.

export { SharedError } from './errors.js';

// --- OCSF models (src/ocsf/) ---
export type { OcsfCloud, OcsfMetadata, OcsfRecord } from './ocsf/record.js';

// --- IP Insights client (src/ipinsights-client/) ---
