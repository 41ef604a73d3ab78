// #/subir: upload a video with client-side checks and a real transfer progress bar. The transfer
// is a resumable direct upload (uploader.js): pause and resume, and it resumes by itself after a
// dropped connection.

import { field, flagInvalid, h, notice, pageHeading } from "../dom.js";
import { checkVideoFacts, readVideoFacts, ResumableUpload } from "../uploader.js";

// The server checks everything again (and more: duration, resolution, readable frames); these
// checks only spare the player a long upload that is bound to be refused.
const MAX_BYTES = 100 * 1024 * 1024;
const TYPES = ["video/mp4", "video/quicktime"];
const EXTENSIONS = [".mp4", ".m4v", ".mov"];

export function checkFile(file) {
  if (!file) return "Elige el archivo de video.";
  const name = file.name.toLowerCase();
  if (!TYPES.includes(file.type) && !EXTENSIONS.some((extension) => name.endsWith(extension))) {
    return "El archivo debe ser un video MP4 o MOV (.mp4, .m4v o .mov).";
  }
  if (file.size === 0) return "El archivo está vacío.";
  if (file.size > MAX_BYTES) return "El archivo supera el tamaño máximo permitido de 100 MB.";
  return null;
}

export function render({ signal }) {
  const messages = notice();
  const title = field("Título del video", { id: "subir-titulo", name: "title", type: "text", maxlength: 255, required: true });
  const file = field(
    "Archivo de video",
    { id: "subir-archivo", name: "video_file", type: "file", accept: [...TYPES, ...EXTENSIONS].join(","), required: true },
    "MP4 o MOV de 20 a 60 segundos, mínimo 1080p y hasta 100 MB.",
  );
  const bar = h("progress", { id: "subir-progreso", max: "100", value: "0" });
  const percent = h("span", { class: "progress__value" }, "0 %");
  const progress = h(
    "div",
    { class: "progress", hidden: true },
    h("label", { for: "subir-progreso" }, "Progreso de la subida"),
    h("div", { class: "progress__row" }, bar, percent),
  );
  const submit = h("button", { type: "submit", class: "button" }, "Subir video");
  const pause = h("button", { type: "button", class: "button button--secondary", hidden: true }, "Pausar");
  const cancel = h("button", { type: "button", class: "button button--secondary", hidden: true }, "Cancelar");
  const form = h(
    "form",
    { class: "form", novalidate: true },
    title.node,
    file.node,
    progress,
    messages.node,
    h("div", { class: "form__actions" }, submit, pause, cancel),
  );

  const showProgress = (fraction) => {
    const value = Math.min(100, Math.round(fraction * 100));
    bar.value = Math.max(bar.value, value);
    percent.textContent = value < 100 ? `${bar.value} %` : "100 % · verificando el video…";
  };
  const showWaiting = (why) => {
    if (why === "offline") percent.textContent = `${bar.value} % · sin conexión, se reanudará sola…`;
    else if (why === "paused") percent.textContent = `${bar.value} % · en pausa`;
    else percent.textContent = `${bar.value} %`;
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = file.input.files[0];
    const titleText = title.input.value.trim();
    const problem = !titleText
      ? "El título es obligatorio y debe tener entre 1 y 255 caracteres."
      : checkFile(chosen);
    if (problem) {
      flagInvalid(form, titleText ? file.input : title.input);
      messages.error(problem);
      return;
    }
    // What the browser can read of the file is checked before a byte is sent.
    const refused = checkVideoFacts(await readVideoFacts(chosen));
    if (refused) {
      flagInvalid(form, file.input);
      messages.error(refused);
      return;
    }
    flagInvalid(form, null);
    messages.clear();
    bar.value = 0;
    showProgress(0);
    progress.hidden = false;
    submit.disabled = true;
    pause.hidden = false;
    cancel.hidden = false;
    const transfer = new ResumableUpload(chosen, titleText, { onProgress: showProgress, onWaiting: showWaiting });
    pause.textContent = "Pausar";
    pause.onclick = () => {
      if (transfer.paused) transfer.resume();
      else transfer.pause();
      pause.textContent = transfer.paused ? "Reanudar" : "Pausar";
    };
    cancel.onclick = () => transfer.cancel();
    // Leaving the page abandons the transfer instead of leaving it running unseen.
    signal.addEventListener("abort", () => transfer.cancel(), { once: true });
    try {
      const answer = await transfer.start();
      form.reset();
      messages.success(answer.message, " ", h("a", { href: "#/mis-videos" }, "Ver mis videos"));
    } catch (error) {
      messages.error(error.message);
    } finally {
      submit.disabled = false;
      pause.hidden = true;
      cancel.hidden = true;
      progress.hidden = true;
    }
  });

  const node = h(
    "section",
    { class: "page page--narrow" },
    pageHeading("Subir video"),
    h("p", { class: "lead" }, "Muestra tus mejores jugadas. Procesamos el video y lo publicamos para votación."),
    form,
  );
  return { node, title: "Subir video" };
}
