// "Compartir": the system share sheet where there is one (Web Share API, phones), else the link
// is copied to the clipboard; if even that is refused, the link is shown selected to copy by hand.

import { h, notice } from "./dom.js";

export function shareButton({ title, text, path }) {
  const url = new URL(path, location.origin).href;
  const messages = notice();
  const button = h("button", { type: "button", class: "button button--secondary", "data-action": "share" }, "Compartir");
  button.addEventListener("click", async () => {
    messages.clear();
    if (navigator.share) {
      try {
        await navigator.share({ title, text, url });
        return;
      } catch (error) {
        if (error.name === "AbortError") return; // the person closed the share sheet
      }
    }
    try {
      await navigator.clipboard.writeText(url);
      messages.success(`Enlace copiado: ${url}`);
    } catch {
      const field = h("input", { type: "text", readonly: true, value: url, "aria-label": "Enlace para compartir" });
      messages.success("Copia este enlace:", " ", field);
      field.select();
    }
  });
  return h("div", { class: "share" }, button, messages.node);
}
