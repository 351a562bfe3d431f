import type { NextFunction, Request, Response } from "express";
import multer from "multer";

// File uploads (multipart/form-data) for the forms that take files, such as the iWmo imports.
// The body is read here, before the CSRF check, so the form's _csrf field is checked like any
// other form's; only a logged-in session gets its upload read at all, in memory and within the
// limits below. A file past a limit is not an error page: the route is told (req.uploadError)
// and says so next to its form.

/** iWmo messages are a few kilobytes; a megabyte is a generous bound per file. */
export const MAX_UPLOAD_BYTES = 1024 * 1024;
export const MAX_UPLOAD_FILES = 50;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      uploadError?: string;
    }
  }
}

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_UPLOAD_BYTES, files: MAX_UPLOAD_FILES, fields: 20, fieldSize: 10_000, parts: MAX_UPLOAD_FILES + 20 },
}).any();

export function multipartBody(req: Request, res: Response, next: NextFunction): void {
  if (!req.is("multipart/form-data")) return next();
  // Without a session the CSRF check refuses the request anyway; nothing is read for it.
  if (!req.session?.userId) return next();
  upload(req, res, (err: unknown) => {
    if (err instanceof multer.MulterError) {
      req.uploadError = err.code;
      return next();
    }
    next(err);
  });
}

export type UploadedFile = { name: string; buffer: Buffer };

/** The files of one field, with their names as the browser sent them. */
export function filesOf(req: Request, field: string): UploadedFile[] {
  const files = Array.isArray(req.files) ? req.files : [];
  return files.filter((f) => f.fieldname === field).map((f) => ({ name: f.originalname || "bericht.xml", buffer: f.buffer }));
}
