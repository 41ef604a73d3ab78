// #/confirmar?token=…: the link of the confirmation email lands here and confirms the address.

import { confirmEmail } from "../contest-api.js";
import { h, notice, pageHeading } from "../dom.js";

export function render({ query, signal }) {
  const messages = notice();
  const next = h("p", { hidden: true }, h("a", { class: "button", href: "#/galeria" }, "Ir a votar"));
  const node = h("section", { class: "page page--narrow", "aria-busy": "true" }, pageHeading("Confirmar email"), messages.node, next);
  confirmEmail(query.get("token") || "")
    .then((answer) => {
      if (signal.aborted) return;
      messages.success(answer.message);
      next.hidden = false;
    })
    .catch((error) => messages.error(error.message))
    .finally(() => node.removeAttribute("aria-busy"));
  return { node, title: "Confirmar email" };
}
