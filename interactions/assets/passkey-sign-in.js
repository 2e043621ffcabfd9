// Sign-in with a passkey (WebAuthn Level 3 §5.1.4, navigator.credentials.get), on the sign-in page
// (passwordless, with autofill: conditional mediation, §5.1.4.1 and CredentialMediationRequirement
// "conditional") and on the second-step page ("Use a passkey"). Each passkey form carries the URL of
// its interaction's options endpoint in data-passkey-options; the form is hidden until this script
// shows it, so a browser without JavaScript sees only the password and code forms, which work
// without it. The assertion goes in the form's hidden `response` field and the form is posted as
// usual, so the server answers with its ordinary redirect or a page that says what went wrong.
(function () {
  'use strict';
  if (!window.PublicKeyCredential || !navigator.credentials) return;
  var forms = Array.prototype.slice.call(document.querySelectorAll('form[data-passkey-options]'));
  if (forms.length === 0) return;
  // One WebAuthn request at a time: the autofill request waits in the background and is
  // withdrawn when the person presses a passkey button instead.
  var pendingAutofill = null;

  function fromBase64url(text) {
    var base64 = text.replace(/-/g, '+').replace(/_/g, '/');
    while (base64.length % 4) base64 += '=';
    var bytes = atob(base64);
    var out = new Uint8Array(bytes.length);
    for (var i = 0; i < bytes.length; i++) out[i] = bytes.charCodeAt(i);
    return out.buffer;
  }

  function toBase64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var text = '';
    for (var i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  // PublicKeyCredentialRequestOptionsJSON (WebAuthn Level 3 §5.1.4.1) → the binary form get() takes.
  function requestOptions(json) {
    var options = Object.assign({}, json);
    options.challenge = fromBase64url(json.challenge);
    options.allowCredentials = (json.allowCredentials || []).map(function (c) {
      return Object.assign({}, c, { id: fromBase64url(c.id) });
    });
    return options;
  }

  // The credential → AuthenticationResponseJSON (WebAuthn Level 3 §5.1.4.2).
  function assertionJson(credential) {
    var response = credential.response;
    return {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: {
        clientDataJSON: toBase64url(response.clientDataJSON),
        authenticatorData: toBase64url(response.authenticatorData),
        signature: toBase64url(response.signature),
        userHandle: response.userHandle ? toBase64url(response.userHandle) : undefined,
      },
    };
  }

  function fetchOptions(form) {
    return fetch(form.getAttribute('data-passkey-options'), {
      method: 'POST',
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
    }).then(function (answer) {
      return answer
        .json()
        .catch(function () {
          return {};
        })
        .then(function (body) {
          if (!answer.ok)
            throw new Error(
              body.error ||
                form.getAttribute('data-message-unavailable') ||
                'Signing in with a passkey is not possible now. Reload the page.',
            );
          return body;
        });
    });
  }

  function post(form, credential) {
    form.elements.namedItem('response').value = JSON.stringify(assertionJson(credential));
    form.submit();
  }

  function show(form, message) {
    var alertBox = form.querySelector('[data-passkey-error]');
    if (alertBox) {
      alertBox.textContent = message;
      alertBox.hidden = false;
    }
    var button = form.querySelector('button');
    if (button) button.disabled = false;
  }

  forms.forEach(function (form) {
    var wrapper = form.closest('[data-passkey]') || form;
    wrapper.hidden = false;
    form.addEventListener('submit', function (event) {
      if (form.elements.namedItem('response').value) return; // the assertion is in: post it
      event.preventDefault();
      if (pendingAutofill) pendingAutofill.abort();
      var button = form.querySelector('button');
      if (button) button.disabled = true;
      fetchOptions(form)
        .then(function (options) {
          return navigator.credentials.get({ publicKey: requestOptions(options) }).catch(function () {
            // The browser tells no reason (NotAllowedError covers a cancel and a failed PIN or biometric).
            throw new Error(
              form.getAttribute('data-message-not-confirmed') ||
                'No passkey was used: your browser or device did not confirm it is you. Try again, or use your password.',
            );
          });
        })
        .then(function (credential) {
          post(form, credential);
        })
        .catch(function (error) {
          show(form, error.message);
        });
    });
  });

  // Autofill: the email field says `username webauthn`, and the browser offers passkeys in its list.
  var autofill = forms.filter(function (form) {
    return form.hasAttribute('data-passkey-autofill');
  })[0];
  if (!autofill || typeof PublicKeyCredential.isConditionalMediationAvailable !== 'function') return;
  PublicKeyCredential.isConditionalMediationAvailable()
    .then(function (available) {
      if (!available) return undefined;
      var controller = new window.AbortController();
      pendingAutofill = controller;
      return fetchOptions(autofill).then(function (options) {
        return navigator.credentials
          .get({ publicKey: requestOptions(options), mediation: 'conditional', signal: controller.signal })
          .then(function (credential) {
            if (credential) post(autofill, credential);
          });
      });
    })
    .catch(function () {
      // Withdrawn for the button, or not offered: the page works as before.
    });
})();
