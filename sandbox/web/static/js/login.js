// Clicking a demo account fills the sign-in form (the demo password is public on this page).
document.addEventListener("click", function (event) {
  var button = event.target.closest(".fill-login");
  if (!button) return;
  var form = document.getElementById("login-form");
  form.elements.username.value = button.dataset.username;
  form.elements.password.value = button.dataset.password;
  form.querySelector("button[type=submit]").focus();
});
