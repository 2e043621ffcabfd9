import type { Readable, Writable } from 'node:stream';
import { GatehouseError } from '../kernel/gatehouse-error.js';

/** What a command may read from its standard input (passed in, so tests can feed it). */
export interface CliStdin {
  /** Standard input is a terminal: there is a person to ask. */
  readonly isTTY: boolean;
  /** The first line of standard input, without its line ending ('' when there is none). */
  readLine(): Promise<string>;
  /** Asks on the terminal without echoing what is typed. */
  readHidden(prompt: string): Promise<string>;
}

/** Thrown when the person at the terminal gives up (Ctrl-C, Ctrl-D). */
export class InputCancelledError extends GatehouseError<'ERR_CANCELLED'> {
  constructor(message: string) {
    super('ERR_CANCELLED', message);
  }
}

/** Reads up to the first newline, then lets go of the stream; strips "\n" or "\r\n". */
export function readFirstLine(input: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const done = () => {
      input.off('data', onData).off('end', done).off('error', onError);
      input.pause();
      const end = text.indexOf('\n');
      resolve((end === -1 ? text : text.slice(0, end)).replace(/\r$/, ''));
    };
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString();
      if (text.includes('\n')) done();
    };
    const onError = (error: Error) => reject(error);
    input.on('data', onData).once('end', done).once('error', onError);
    input.resume();
  });
}

type TerminalInput = Readable & { setRawMode?: (raw: boolean) => unknown };

/**
 * Prompts on `output` and reads a line from `input` with echo off (raw mode on a terminal), so a
 * password typed in never appears on screen, in scrollback or in shell history.
 */
export function promptHidden(input: TerminalInput, output: Writable, prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(text);
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString()) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003' || (char === '\u0004' && text === ''))
          return finish(new InputCancelledError('cancelled: no password given'));
        if (char === '\u007f' || char === '\b') text = text.slice(0, -1);
        else if (char >= ' ') text += char;
      }
    };
    input.setRawMode?.(true);
    output.write(prompt);
    input.on('data', onData);
    input.resume();
  });
}

/** The process's own standard input; prompts go to stderr so --json output stays one object. */
export function processStdin(): CliStdin {
  return {
    // Looked at only when a command asks: touching process.stdin opens it.
    get isTTY() {
      return Boolean(process.stdin.isTTY);
    },
    readLine: () => readFirstLine(process.stdin),
    readHidden: (prompt) => promptHidden(process.stdin, process.stderr, prompt),
  };
}

/** No standard input at all: not a terminal, and empty. */
export const emptyStdin: CliStdin = {
  isTTY: false,
  readLine: async () => '',
  readHidden: async () => {
    throw new InputCancelledError('no terminal to ask on');
  },
};
