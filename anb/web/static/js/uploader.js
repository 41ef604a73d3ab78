// Resumable direct uploads (docs/videos.md): open → the bytes in parts → complete. On S3 each part
// is PUT to its presigned URL and the completion names every part with the ETag S3 answered (the
// server checks nothing S3 does not: it spares a listing of the parts); on local disk the bytes go
// through the server's tus 1.0 endpoint.
// A dropped connection is retried on its own (with growing waits, and at once when the browser is
// back online) from what the server says it has; pause stops the transfer and resume continues it.

import * as api from "./api.js";

const TUS_CHUNK = 5 * 1024 * 1024;
const MAX_WAIT_MS = 30_000;
const NETWORK_ERROR = "network";

// What the browser can read of the file before a byte is sent: duration and displayed size.
// Null when it cannot decode the file's metadata (the server decides then).
export function readVideoFacts(file) {
  return new Promise((resolve) => {
    const video = document.createElement("video");
    const url = URL.createObjectURL(file);
    const done = (facts) => {
      URL.revokeObjectURL(url);
      video.removeAttribute("src");
      resolve(facts);
    };
    video.preload = "metadata";
    video.muted = true;
    video.addEventListener("loadedmetadata", () =>
      done({ duration: video.duration, width: video.videoWidth, height: video.videoHeight }),
    );
    video.addEventListener("error", () => done(null));
    video.src = url;
  });
}

export function checkVideoFacts(facts) {
  if (!facts) return null;
  if (!(facts.duration >= 20 && facts.duration <= 60)) {
    return `La duración del video debe estar entre 20 y 60 segundos (tiene ${facts.duration.toFixed(1)} s).`;
  }
  if (Math.min(facts.width, facts.height) < 1080) {
    return `El video debe ser al menos 1080p: el lado corto debe medir 1080 px o más (tiene ${Math.min(facts.width, facts.height)} px).`;
  }
  return null;
}

class Stopped extends Error {}

export class ResumableUpload {
  constructor(file, title, { onProgress = () => {}, onWaiting = () => {} } = {}) {
    this.file = file;
    this.title = title;
    this.onProgress = onProgress;
    this.onWaiting = onWaiting;
    this.request = null;
    this.paused = false;
    this.cancelled = false;
    this.wake = null;
    this.upload = null;
    this.etags = new Map(); // part number → the ETag S3 answered to its PUT
    this.passes = 0;
    this.online = () => this.wake?.();
  }

  // Resolves with the server's answer to the completion (the same body as POST /api/videos/upload).
  async start() {
    window.addEventListener("online", this.online);
    try {
      this.upload = await api.openUpload({ title: this.title, size: this.file.size, content_type: this.file.type || "video/mp4" });
      await this.retrying(() => (this.upload.protocol === "s3" ? this.sendParts() : this.sendTus()));
      const parts = [...this.etags].map(([number, etag]) => ({ number, etag }));
      return await api.completeUpload(this.upload.upload_id, parts);
    } finally {
      window.removeEventListener("online", this.online);
    }
  }

  pause() {
    this.paused = true;
    this.request?.abort();
  }

  resume() {
    this.paused = false;
    this.wake?.();
  }

  cancel() {
    this.cancelled = true;
    this.request?.abort();
    this.wake?.();
    if (this.upload) api.abortUpload(this.upload.upload_id).catch(() => {});
  }

  // Runs `send` until it finishes; after a network failure or a pause, waits and runs it again.
  async retrying(send) {
    let wait = 1000;
    for (;;) {
      if (this.cancelled) throw new api.ApiError(0, "Subida cancelada.", "cancelled");
      try {
        if (!this.paused) {
          await send();
          return;
        }
      } catch (error) {
        if (!(error instanceof Stopped) && error.code !== NETWORK_ERROR) throw error;
      }
      if (this.cancelled) continue;
      this.onWaiting(this.paused ? "paused" : "offline");
      await new Promise((resolve) => {
        this.wake = resolve;
        if (!this.paused) setTimeout(resolve, wait);
      });
      this.wake = null;
      wait = this.paused ? 1000 : Math.min(wait * 2, MAX_WAIT_MS);
      this.onWaiting(null);
    }
  }

  // The open's answer serves the first pass; a pass after a failure asks what S3 holds.
  async sendParts() {
    const state = this.passes++ ? await api.uploadState(this.upload.upload_id) : this.upload;
    this.etags = new Map(state.uploaded_parts.map((part) => [part.number, part.etag]));
    let sent = state.uploaded_parts.reduce((total, part) => total + part.size, 0);
    this.onProgress(sent / this.file.size);
    for (const part of state.parts) {
      if (this.etags.has(part.number)) continue;
      const start = (part.number - 1) * state.part_size;
      const answer = await this.send("PUT", part.url, {}, this.file.slice(start, start + part.size), (loaded) =>
        this.onProgress((sent + loaded) / this.file.size),
      );
      this.etags.set(part.number, answer.getResponseHeader("ETag"));
      sent += part.size;
    }
  }

  async sendTus() {
    const url = this.upload.tus_url;
    await api.uploadState(this.upload.upload_id); // an authenticated call: refreshes an expired token
    let offset = Number((await this.send("HEAD", url, this.tusHeaders())).getResponseHeader("Upload-Offset"));
    while (offset < this.file.size) {
      const chunk = this.file.slice(offset, offset + TUS_CHUNK);
      const headers = { ...this.tusHeaders(), "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" };
      const base = offset;
      const answer = await this.send("PATCH", url, headers, chunk, (loaded) => this.onProgress((base + loaded) / this.file.size));
      offset = Number(answer.getResponseHeader("Upload-Offset"));
    }
    this.onProgress(1);
  }

  tusHeaders() {
    return { "Tus-Resumable": "1.0.0", Authorization: `Bearer ${api.accessToken()}` };
  }

  // One request with upload progress; a network failure is an ApiError with code "network".
  send(method, url, headers, body = null, onLoaded = () => {}) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      this.request = xhr;
      xhr.open(method, url);
      for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
      xhr.upload.addEventListener("progress", (event) => onLoaded(event.loaded));
      xhr.addEventListener("load", () => {
        if (xhr.status >= 200 && xhr.status < 300) resolve(xhr);
        // A conflicting offset, an expired token or a server hiccup: ask where we are and go on.
        else if ([401, 409].includes(xhr.status) || xhr.status >= 500) reject(new api.ApiError(xhr.status, "", NETWORK_ERROR));
        else reject(errorOf(xhr));
      });
      xhr.addEventListener("error", () => reject(new api.ApiError(0, "", NETWORK_ERROR)));
      xhr.addEventListener("abort", () => reject(new Stopped()));
      xhr.send(body);
    });
  }
}

function errorOf(xhr) {
  let body = null;
  try {
    body = JSON.parse(xhr.responseText);
  } catch {
    body = null;
  }
  const detail = typeof body?.detail === "string" ? body.detail : `Error inesperado del servidor (HTTP ${xhr.status}).`;
  return new api.ApiError(xhr.status, detail, body?.code);
}
