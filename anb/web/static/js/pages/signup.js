// #/registro?volver=<route>: create a player account (the statement's signup), then continue on the
// login page. The city is free text with the platform's cities as suggestions.

import * as api from "../api.js";
import * as session from "../session.js";
import { citySuggestions } from "../city-select.js";
import { field, flagInvalid, h, notice, pageHeading } from "../dom.js";
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
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const values = Object.fromEntries(Object.entries(inputs).map(([name, input]) => [name, input.value.trim()]));
    values.password1 = inputs.password1.value;
    values.password2 = inputs.password2.value;
    values.city = knownSpelling(values.city);
    const empty = Object.keys(inputs).find((name) => !values[name]);
    if (empty) {
      flagInvalid(form, inputs[empty]);
      messages.error("Completa todos los campos.");
      return;
    }
    if (values.password1 !== values.password2) {
      flagInvalid(form, inputs.password2);
      messages.error("Las contraseñas no coinciden.");
      return;
    }
    flagInvalid(form, null);
    submit.disabled = true;
    try {
      const answer = await api.signup(values);
      session.setFlash({ message: `${answer.message} Ya puedes ingresar.`, email: answer.email });
      navigate(`/ingresar${keepDestination(query)}`);
    } catch (error) {
      messages.error(error.message);
    } finally {
      submit.disabled = false;
    }
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
