// #/ingresar?volver=<path>: log in, then go back to where the player was headed.

import * as api from "../api.js";
import * as session from "../session.js";
import { field, flagInvalid, h, notice, pageHeading } from "../dom.js";

// Only the app's own routes (and the /videos/<id>, /players/<id> pages) are valid destinations.
export const safeDestination = (target, fallback) => (target && /^\/[a-z-]+(\/[^/?]+)?(\?.*)?$/.test(target) ? target : fallback);

/** "?volver=<route>" to hand on to the next page, or "" when there is none. */
export const keepDestination = (query) => (query.get("volver") ? `?volver=${encodeURIComponent(query.get("volver"))}` : "");

export function render({ query, navigate }) {
  const messages = notice();
  const flash = session.takeFlash();
  const email = field("Correo electrónico", {
    id: "ingresar-email",
    name: "email",
    type: "email",
    autocomplete: "username",
    required: true,
    value: flash?.email,
  });
  const password = field("Contraseña", {
    id: "ingresar-password",
    name: "password",
    type: "password",
    autocomplete: "current-password",
    required: true,
  });
  const submit = h("button", { type: "submit", class: "button" }, "Ingresar");
  const form = h("form", { class: "form", novalidate: true }, email.node, password.node, messages.node, submit);
  if (flash?.message) messages.success(flash.message);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const missing = [email.input, password.input].find((input) => !input.value.trim());
    if (missing) {
      flagInvalid(form, missing);
      messages.error("Escribe tu correo y tu contraseña.");
      return;
    }
    flagInvalid(form, null);
    submit.disabled = true;
    try {
      await api.login(email.input.value.trim(), password.input.value);
      navigate(safeDestination(query.get("volver"), session.isPlayer() ? "/mis-videos" : "/galeria"));
    } catch (error) {
      messages.error(error.message);
      password.input.select();
    } finally {
      submit.disabled = false;
    }
  });
  const node = h(
    "section",
    { class: "page page--narrow" },
    pageHeading("Ingresar"),
    h(
      "p",
      { class: "lead" },
      "¿Aún no tienes cuenta? ",
      h("a", { href: `#/registro-aficionado${keepDestination(query)}` }, "Crea una de aficionado"),
      " para votar, o ",
      h("a", { href: `#/registro${keepDestination(query)}` }, "una de jugador"),
      " para subir tus videos.",
    ),
    form,
  );
  return { node, title: "Ingresar" };
}
