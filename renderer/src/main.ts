// The studio's renderer entry: one Vue app with Pinia, the same in Electron and in a browser.
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import '@vue-flow/core/dist/style.css';
import '@vue-flow/core/dist/theme-default.css';
import '@vue-flow/controls/dist/style.css';
import '@vue-flow/minimap/dist/style.css';
import './styles/theme.css';

createApp(App).use(createPinia()).mount('#app');
