import { mountPage } from '../../shared/boot.ts';
import Admin from './Admin.vue';
import './messages.ts';

mountPage(Admin);
