import { readFile } from 'node:fs/promises';
import {
  ContractError,
  type DetailType,
  getContract,
  listContracts,
  parseEvent,
  rulePattern,
  validateDetail,
} from '@lakewatch/contracts';
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';

async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new CliError(`cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new CliError(`${path}: not valid JSON: ${(cause as Error).message}`, { cause });
  }
}

function parseMajor(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new CliError(`--major must be a whole number from 1, got '${value}'`);
  return n;
}

/** `lakewatch contracts …`: list the event contracts, print rule patterns, validate payloads. */
export function registerContracts(program: Command, io: CliIo): void {
  const contracts = program
    .command('contracts')
    .description('the versioned event contracts the services exchange');

  contracts
    .command('list')
    .description('list every contract: source, detail-type, major and current schemaVersion')
    .action(() => {
      for (const c of listContracts())
        io.out(`${c.source}\t${c.detailType}\tv${c.major}\t${c.version}\n`);
    });

  contracts
    .command('pattern <detailType>')
    .description('print the EventBridge rule pattern that selects a detail type and major version')
    .option('--major <n>', 'major version', parseMajor, 1)
    .action((detailType: string, opts: { major: number }) => {
      getContract(detailType, opts.major);
      io.out(`${JSON.stringify(rulePattern(detailType as DetailType, opts.major), null, 2)}\n`);
    });

  contracts
    .command('validate <file>')
    .description(
      'validate an EventBridge event (envelope and detail) or, with --detail-type, a bare detail',
    )
    .option('--detail-type <name>', 'the file holds only the detail of this detail type')
    .option('--major <n>', 'major version for --detail-type', parseMajor, 1)
    .action(async (file: string, opts: { detailType?: string; major: number }) => {
      const payload = await readJsonFile(file);
      try {
        if (opts.detailType) {
          validateDetail(opts.detailType as DetailType, payload, opts.major as 1);
          io.out(`valid ${opts.detailType} v${opts.major} detail\n`);
        } else {
          const event = parseEvent(payload);
          io.out(`valid ${event.source} ${event['detail-type']} event ${event.id}\n`);
        }
      } catch (e) {
        if (e instanceof ContractError) throw new CliError(`${file}: ${e.message}`, { cause: e });
        throw e;
      }
    });
}
