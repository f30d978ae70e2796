import { mountPage } from '../../shared/boot.ts';
import Login from './Login.vue';

mountPage(Login);
