const app = document.querySelector("#app");
app.textContent = `built ${new Date().toISOString()}`;
