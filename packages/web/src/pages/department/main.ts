import { mountPage } from '../../shared/boot.ts';
import Login from '../login/Login.vue';

mountPage(Login);
