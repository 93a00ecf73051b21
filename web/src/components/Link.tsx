import type { MouseEvent, ReactNode } from 'react';
import { navigate } from '../router';

export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  function go(event: MouseEvent<HTMLAnchorElement>) {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(to);
  }
  return (
    <a href={to} onClick={go} className={className}>
      {children}
    </a>
  );
}
