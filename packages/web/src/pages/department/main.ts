import { mountPage } from '../../shared/boot.ts';
import Department from './Department.vue';
import './messages.ts';

mountPage(Department);
