/** Which number to call first for an emergency category 紧急类别先报警. */
export function emergencyPhone(categoryId: string): string {
  switch (categoryId) {
    case 'fire':
    case 'gas_leak':
      return '119';
    case 'injury':
      return '120';
    default:
      return '110';
  }
}
