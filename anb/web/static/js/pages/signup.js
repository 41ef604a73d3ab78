// #/registro?volver=<route>: create a player account (the statement's signup), then continue on the
// login page. The city is free text with the platform's cities as suggestions.

import * as api from "../api.js";
import * as session from "../session.js";
import { citySuggestions } from "../city-select.js";
import { field, h, notice, pageHeading } from "../dom.js";
import { onSignupSubmit } from "../signup-form.js";
import { keepDestination } from "./login.js";

const FIELDS = [
  ["first_name", "Nombre", { autocomplete: "given-name" }],
  ["last_name", "Apellido", { autocomplete: "family-name" }],
  ["email", "Correo electrónico", { type: "email", autocomplete: "email" }],
  ["password1", "Contraseña", { type: "password", autocomplete: "new-password" }],
  ["password2", "Repite la contraseña", { type: "password", autocomplete: "new-password" }],
  ["city", "Ciudad", { autocomplete: "address-level2" }],
  ["country", "País", { autocomplete: "country-name" }],
];

export function render({ query, navigate }) {
  const messages = notice();
  const inputs = {};
  const fields = FIELDS.map(([name, label, extra]) => {
    const built = field(
      label,
      { id: `registro-${name}`, name, type: "text", maxlength: name === "email" ? 254 : 100, required: true, ...extra },
      name === "city" ? "Competirás en el ranking de esta ciudad. Elige una de la lista o escribe la tuya." : null,
    );
    inputs[name] = built.input;
    return built.node;
  });
  const knownSpelling = citySuggestions(inputs.city);
  const submit = h("button", { type: "submit", class: "button" }, "Crear cuenta");
  const form = h("form", { class: "form", novalidate: true }, ...fields, messages.node, submit);
  onSignupSubmit(form, {
    inputs,
    messages,
    submit,
    send: async (values) => {
      const answer = await api.signup({ ...values, city: knownSpelling(values.city) });
      session.setFlash({ message: `${answer.message} Ya puedes ingresar.`, email: answer.email });
      navigate(`/ingresar${keepDestination(query)}`);
    },
  });
  const node = h(
    "section",
    { class: "page page--narrow" },
    pageHeading("Crear cuenta de jugador"),
    h("p", { class: "lead" }, "¿Ya tienes cuenta? ", h("a", { href: `#/ingresar${keepDestination(query)}` }, "Ingresa aquí"), "."),
    h(
      "p",
      {},
      "¿Solo quieres votar? ",
      h("a", { href: `#/registro-aficionado${keepDestination(query)}` }, "Crea una cuenta de aficionado"),
      ": solo nombre, correo y contraseña.",
    ),
    form,
  );
  return { node, title: "Registro" };
}
