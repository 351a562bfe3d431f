import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";

// Time-based one-time passwords (RFC 6238) as every authenticator app speaks them: SHA-1,
// 6 digits, 30-second steps. The codes follow the real clock, as the phone's app does, never
// the application's (test) clock.

const PERIOD_SECONDS = 30;
const ISSUER = "dagdeel";

function totp(secret: string, label = ISSUER): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: "SHA1", digits: 6, period: PERIOD_SECONDS, secret: Secret.fromBase32(secret) });
}

/** A fresh random secret (160 bits, base32), as the authenticator app stores it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// address the QR code carries. */
export function totpUri(secret: string, account: string): string {
  return totp(secret, account).toString();
}

/** The QR code of the address as an SVG data URL, for an <img> (the CSP allows data: images). */
export async function totpQrDataUrl(secret: string, account: string): Promise<string> {
  const svg = await QRCode.toString(totpUri(secret, account), { type: "svg", margin: 2, errorCorrectionLevel: "M" });
  return `data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")}`;
}

/**
 * The 30-second step a code belongs to when it is right — now, or one step either side for a
 * phone whose clock is a little off — else null. Callers refuse a step already used.
 */
export function acceptedStep(secret: string, code: string, now = Date.now()): number | null {
  const token = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totp(secret).validate({ token, timestamp: now, window: 1 });
  if (delta === null) return null;
  return Math.floor(now / 1000 / PERIOD_SECONDS) + delta;
}

/** The code an authenticator app shows for this secret at this moment (for tests and the CLI). */
export function currentCode(secret: string, now = Date.now()): string {
  return totp(secret).generate({ timestamp: now });
}

/** Only users who see full BSNs (coordinators), and the admin who creates them, use a second factor. */
export function mayUseTotp(role: string): boolean {
  return role === "coordinator" || role === "admin";
}
