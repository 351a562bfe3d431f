import type { RequestHandler } from "express";
import multer from "multer";
import { MAX_BYTES } from "./table";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Why the uploaded file was not taken (multer's code), for the form to say. */
      uploadError?: string;
    }
  }
}

export const UPLOAD_PATH = "/importeren";

const single = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_BYTES, files: 1, fields: 10, fieldSize: 10_000 } }).single("file");

/**
 * Reads the import form's multipart body — its fields (the CSRF token among them) and the file,
 * in memory, never on disk — before the CSRF check, which can only find the token in a parsed
 * body. Only for that one form, and only for a logged-in session: nobody else gets a file
 * parsed. A file that is too large is not an error page: the form says so.
 */
export function importUploads(): RequestHandler {
  return (req, res, next) => {
    if (req.method !== "POST" || req.path !== UPLOAD_PATH || !req.is("multipart/form-data") || !req.session?.userId) return next();
    single(req, res, (err: unknown) => {
      if (err) req.uploadError = (err as { code?: string }).code ?? "UNREADABLE";
      next();
    });
  };
}
