// The public API of @lakewatch/shared. Each area appends its exports in its own section.

export { SharedError } from './errors.js';

// --- OCSF models (src/ocsf/) ---

// --- IP Insights client (src/ipinsights-client/) ---
