// What the player's and the fan's signup forms (pages/signup.js, pages/fan-signup.js) do on submit:
// every field filled, the two passwords equal, then one request, the button disabled while it runs.

import { flagInvalid } from "./dom.js";

/**
 * `inputs` maps each field's name to its <input>, in the order the form shows them (the first empty
 * one is flagged); among them `password1` and `password2`. `send(values)` gets the typed values,
 * trimmed but for the passwords, and does the signup and what follows it; what it throws is shown
 * in `messages`.
 */
export function onSignupSubmit(form, { inputs, messages, submit, send }) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const empty = Object.values(inputs).find((input) => !input.value.trim());
    if (empty) {
      flagInvalid(form, empty);
      messages.error("Completa todos los campos.");
      return;
    }
    if (inputs.password1.value !== inputs.password2.value) {
      flagInvalid(form, inputs.password2);
      messages.error("Las contraseñas no coinciden.");
      return;
    }
    flagInvalid(form, null);
    submit.disabled = true;
    try {
      const values = Object.fromEntries(Object.entries(inputs).map(([name, input]) => [name, input.value.trim()]));
      await send({ ...values, password1: inputs.password1.value, password2: inputs.password2.value });
    } catch (error) {
      messages.error(error.message);
    } finally {
      submit.disabled = false;
    }
  });
}
