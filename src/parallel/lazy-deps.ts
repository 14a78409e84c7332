import { createRequire } from 'node:module';

/*
 * The pool's and the queue's libraries, loaded on first use. Loading bullmq, ioredis and piscina
 * costs about half a second of start-up (more than everything else the CLI loads together), and
 * most commands never start a pool or reach Redis. `require` keeps the call sites synchronous;
 * every package here ships a CommonJS build, and nothing else in the process loads them, so
 * there is one copy of each (BullMQ's `instanceof UnrecoverableError` sees its own class).
 */
const require = createRequire(import.meta.url);

let bull: typeof import('bullmq') | undefined;
let redis: typeof import('ioredis') | undefined;
let piscinaModule: typeof import('piscina') | undefined;

export function bullmq(): typeof import('bullmq') {
  return (bull ??= require('bullmq') as typeof import('bullmq'));
}

export function ioredis(): typeof import('ioredis') {
  return (redis ??= require('ioredis') as typeof import('ioredis'));
}

export function piscina(): typeof import('piscina') {
  return (piscinaModule ??= require('piscina') as typeof import('piscina'));
}
