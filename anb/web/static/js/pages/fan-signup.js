// #/registro-aficionado?volver=<route>: a voting-only account (name, email, password), then
// logged in at once and back where the fan was, usually the video they wanted to vote for.

import * as api from "../api.js";
import { field, h, notice, pageHeading } from "../dom.js";
import { onSignupSubmit } from "../signup-form.js";
import { keepDestination, safeDestination } from "./login.js";

export function render({ query, navigate }) {
  const messages = notice();
  const name = field("Tu nombre", { id: "fan-nombre", name: "name", type: "text", maxlength: 100, required: true, autocomplete: "given-name" });
  const email = field("Correo electrónico", { id: "fan-email", name: "email", type: "email", maxlength: 254, required: true, autocomplete: "email" });
  const password1 = field(
    "Contraseña",
    { id: "fan-password1", name: "password1", type: "password", required: true, autocomplete: "new-password" },
    "Al menos 8 caracteres, con letras y números.",
  );
  const password2 = field("Repite la contraseña", { id: "fan-password2", name: "password2", type: "password", required: true, autocomplete: "new-password" });
  const submit = h("button", { type: "submit", class: "button" }, "Crear cuenta y volver");
  const inputs = { name: name.input, email: email.input, password1: password1.input, password2: password2.input };
  const form = h("form", { class: "form", novalidate: true }, name.node, email.node, password1.node, password2.node, messages.node, submit);
  onSignupSubmit(form, {
    inputs,
    messages,
    submit,
    send: async (values) => {
      await api.fanSignup(values);
      await api.login(values.email, values.password1);
      navigate(safeDestination(query.get("volver"), "/galeria"));
    },
  });
  const node = h(
    "section",
    { class: "page page--narrow" },
    pageHeading("Crear cuenta de aficionado"),
    h("p", { class: "lead" }, "Para votar por tus jugadores favoritos solo necesitas esto."),
    form,
    h(
      "p",
      {},
      "¿Juegas y quieres subir tus videos? ",
      h("a", { href: `#/registro${keepDestination(query)}` }, "Crea una cuenta de jugador"),
      ". ¿Ya tienes cuenta? ",
      h("a", { href: `#/ingresar${keepDestination(query)}` }, "Ingresa"),
      ".",
    ),
  );
  return { node, title: "Cuenta de aficionado" };
}
