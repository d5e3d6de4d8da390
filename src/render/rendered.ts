/** A rendered record: its time and its JSON text. */
export interface RenderedEvent {
  time: number;
  json: string;
}

/** A window's records as the text of one log file, with where each record lies in it. */
export interface RenderedRecords {
  /**
   * `{"Records":[…]}` in UTF-8: a view into the renderer's buffer. This and the lists below are
   * valid until the renderer renders again (copy them to keep them).
   */
  body: Buffer;
  /** Record i is `body[starts[i], ends[i])`. */
  starts: number[];
  ends: number[];
  /** Each record's eventTime, epoch ms. */
  times: number[];
}

/** What a log file's text starts and ends with, around its records: `{"Records":[` … `]}`. */
export const RECORDS_OPEN: Buffer = Buffer.from('{"Records":[');
export const RECORDS_CLOSE: Buffer = Buffer.from(']}');
