import { existsSync, readdirSync } from 'node:fs';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import { type FeedbackRow, readFeedbackFile } from '../feedback/bulk.js';
import { type FindingSubject, indexFindings } from '../feedback/resolve.js';
import {
  appendLabels,
  DEFAULT_FEEDBACK_FILE,
  FEEDBACK_VERDICTS,
  type FeedbackLabel,
  type FeedbackVerdict,
} from '../feedback/store.js';
import type { CliIo } from '../io.js';

interface FeedbackCommandOptions {
  finding?: string;
  verdict?: string;
  note?: string;
  entity?: string;
  entityType: string;
  ip?: string;
  file?: string;
  findings: string[];
  store: string;
}

/** Where findings are looked up when --findings is not given: notify's audit file. */
export const DEFAULT_FINDINGS_FILES = ['.lakewatch/notify/findings.jsonl'];
/** …and the notification files of a `lakewatch up` stack (`<stack>/notifications/*.jsonl`). */
export const STACK_NOTIFICATIONS_DIR = '.lakewatch/stack/notifications';

function defaultFindingsFiles(): string[] {
  const stack = existsSync(STACK_NOTIFICATIONS_DIR)
    ? readdirSync(STACK_NOTIFICATIONS_DIR)
        .filter((f) => f.endsWith('.jsonl'))
        .sort()
        .map((f) => join(STACK_NOTIFICATIONS_DIR, f))
    : [];
  return [...DEFAULT_FINDINGS_FILES, ...stack];
}

function resolveRow(
  row: FeedbackRow,
  index: ReadonlyMap<string, FindingSubject>,
  files: readonly string[],
  now: string,
): FeedbackLabel | string {
  if (!row.findingId) return 'no finding id';
  if (!FEEDBACK_VERDICTS.includes(row.verdict as FeedbackVerdict))
    return `verdict must be false-positive or true-positive, got '${row.verdict ?? ''}'`;
  const known = index.get(row.findingId);
  const entity = row.entity
    ? { type: row.entityType ?? 'instance', uid: row.entity }
    : known?.entity;
  const ip = row.ip ?? known?.ip;
  if (!entity || !ip)
    return `finding ${row.findingId} is not in ${files.join(', ') || 'any findings file'}; give its entity and ip`;
  return {
    findingId: row.findingId,
    verdict: row.verdict as FeedbackVerdict,
    entity,
    ip,
    ...(row.note !== undefined && { note: row.note }),
    resolvedFrom: row.entity && row.ip ? 'analyst' : (known?.file ?? 'analyst'),
    labeledAt: now,
  };
}

/**
 * `lakewatch feedback`: records analysts' verdicts on findings in the feedback store. False
 * positives are then suppressed by notify (NOTIFY_SUPPRESSIONS) and become normal pairs of the
 * next training (`train --extra-normals`); backtests take the store as `--labels`.
 */
export function registerFeedback(program: Command, io: CliIo): void {
  program
    .command('feedback')
    .description(
      'label findings false-positive or true-positive: suppresses false positives in notify, adds them as normal pairs to the next training, labels backtests',
    )
    .option('--finding <id>', 'the finding id (findingId of FindingEnriched)')
    .option('--verdict <verdict>', 'false-positive or true-positive')
    .option('--note <text>', 'free text kept with the label')
    .option('--entity <uid>', "the finding's entity (when its id is not in a findings file)")
    .option('--entity-type <type>', 'entity type with --entity', 'instance')
    .option('--ip <ip>', "the finding's IP (when its id is not in a findings file)")
    .option(
      '--file <bulk>',
      'many labels: .csv (header finding,verdict[,note,entity,entity_type,ip]) or .jsonl',
    )
    .option(
      '--findings <file>',
      `JSON-lines findings to resolve ids from (repeatable; default ${DEFAULT_FINDINGS_FILES.join(', ')} and ${STACK_NOTIFICATIONS_DIR}/*.jsonl)`,
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option('--store <file>', 'the feedback store', DEFAULT_FEEDBACK_FILE)
    .action(async (opts: FeedbackCommandOptions) => {
      if (!opts.file && !opts.finding)
        throw new CliError('give --finding ID --verdict V, or --file bulk.csv|jsonl', {
          exitCode: 2,
        });
      if (opts.file && opts.finding)
        throw new CliError('--finding and --file are exclusive', { exitCode: 2 });
      if ((opts.entity === undefined) !== (opts.ip === undefined))
        throw new CliError('--entity and --ip go together', { exitCode: 2 });
      const files = opts.findings.length > 0 ? opts.findings : defaultFindingsFiles();
      for (const f of opts.findings)
        if (!existsSync(f)) throw new CliError(`--findings ${f}: no such file`, { exitCode: 2 });
      const index = await indexFindings(files);
      const now = new Date().toISOString();
      const rows: FeedbackRow[] = opts.file
        ? await readFeedbackFile(opts.file)
        : [
            {
              line: 1,
              findingId: opts.finding!,
              ...(opts.verdict !== undefined && { verdict: opts.verdict }),
              ...(opts.note !== undefined && { note: opts.note }),
              ...(opts.entity !== undefined && {
                entity: opts.entity,
                entityType: opts.entityType,
              }),
              ...(opts.ip !== undefined && { ip: opts.ip }),
            },
          ];
      const good: FeedbackLabel[] = [];
      const bad: Array<{ line: number; findingId?: string; reason: string }> = [];
      for (const row of rows) {
        const r = resolveRow(row, index, files, now);
        if (typeof r === 'string')
          bad.push({
            line: row.line,
            ...(row.findingId && { findingId: row.findingId }),
            reason: r,
          });
        else good.push(r);
      }
      if (!opts.file && bad.length > 0) throw new CliError(bad[0]!.reason, { exitCode: 2 });
      await appendLabels(opts.store, good);
      if (bad.length > 0) {
        const rejects = `${opts.store.replace(/\.jsonl$/, '')}.rejected.jsonl`;
        await mkdir(dirname(rejects), { recursive: true });
        await appendFile(
          rejects,
          bad.map((b) => `${JSON.stringify({ ...b, file: opts.file, at: now })}\n`).join(''),
        );
        for (const b of bad.slice(0, 5)) io.err(`line ${b.line}: ${b.reason}\n`);
        io.err(`${bad.length} rows rejected (kept in ${rejects})\n`);
      }
      for (const g of good)
        io.err(
          `${g.findingId}: ${g.verdict} (${g.entity.uid}, ${g.ip})${g.verdict === 'false-positive' ? ' — suppressed from now on' : ''}\n`,
        );
      io.out(
        `${JSON.stringify({
          store: opts.store,
          stored: good.length,
          rejected: bad.length,
          falsePositives: good.filter((g) => g.verdict === 'false-positive').length,
        })}\n`,
      );
      if (bad.length > 0) throw new CliError(`${bad.length} of ${rows.length} rows rejected`);
    });
}
