// Types for the parts of the edifact package (no bundled types) this project uses: the streaming
// Parser, the Validator it checks characters with, and the Tracker that checks a segment table.
declare module "edifact" {
  export class Validator {
    define(definitions: unknown): void;
  }
  export class Parser {
    constructor(validator?: Validator);
    encoding(level: string): void;
    write(chunk: string): void;
    end(): void;
    onopensegment: (segment: string) => void;
    onelement: () => void;
    oncomponent: (value: string) => void;
    onclosesegment?: () => void;
  }
  export class Tracker {
    constructor(table: unknown[]);
    /** Throws when the segment does not fit the table at this point. */
    accept(segment: string): boolean;
    reset(): void;
  }
}
