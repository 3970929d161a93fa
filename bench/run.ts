/**
 * Runs every `bench/*.bench.ts`, or the ones named on the command line (`ingest` or
 * `bench/ingest.bench.ts`). Each benchmark module exports `run(): Promise<void>` and prints
 * its own figures.
 */
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface BenchModule {
  run(): Promise<void>;
}

const benchDirectory = dirname(fileURLToPath(import.meta.url));

function selectBenchmarks(names: string[]): string[] {
  const all = readdirSync(benchDirectory)
    .filter((file) => file.endsWith('.bench.ts'))
    .sort();
  if (names.length === 0) {
    return all;
  }

  return names.map((name) => {
    const file = basename(name).replace(/(\.bench)?\.ts$/, '') + '.bench.ts';
    if (!all.includes(file)) {
      throw new Error(`no benchmark ${name}: choose from ${all.join(', ')}`);
    }
    return file;
  });
}

async function main(): Promise<void> {
  const files = selectBenchmarks(process.argv.slice(2));
  for (const file of files) {
    console.log(`\n== ${file}`);
    const module = (await import(pathToFileURL(join(benchDirectory, file)).href)) as BenchModule;
    await module.run();
  }
}

await main();
