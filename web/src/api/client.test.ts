import { describe, expect, it } from 'vitest';
import { attachmentName } from './client';
import { purposeOfPath, sharedPath } from '../pages/CounselPage';

describe('attachmentName', () => {
  it('takes the UTF-8 name the server gives, as a lawyer filed it', () => {
    const header = `attachment; filename="FORT-D3 chronology cica 2026-12-02.pdf"; filename*=UTF-8''FORT-D3%20chronology%20cica%202026-12-02.pdf`;
    expect(attachmentName(header)).toBe('FORT-D3 chronology cica 2026-12-02.pdf');
  });

  it('keeps characters the plain name had to replace', () => {
    const header = `attachment; filename="SI?N-D1 chronology full.csv"; filename*=UTF-8''SI%C3%82N-D1%20chronology%20full.csv`;
    expect(attachmentName(header)).toBe('SIÂN-D1 chronology full.csv');
  });

  it('falls back to the plain name, and to nothing', () => {
    expect(attachmentName('attachment; filename="a.docx"')).toBe('a.docx');
    expect(attachmentName(`attachment; filename*=UTF-8''%E0%A4%A; filename="b.pdf"`)).toBe('b.pdf');
    expect(attachmentName(null)).toBeNull();
    expect(attachmentName('inline')).toBeNull();
  });
});

describe('a shared chronology’s address', () => {
  it('names the case and the purpose shared, and reads back only a share’s purposes', () => {
    expect(sharedPath('c-1', 'CRIMINAL_TRIAL')).toBe('/shared/c-1/criminal-trial');
    for (const purpose of ['CICA', 'CRIMINAL_TRIAL', 'IMMIGRATION'] as const) {
      expect(purposeOfPath(sharedPath('c-1', purpose).split('/')[3] ?? '')).toBe(purpose);
    }
    expect(purposeOfPath('full')).toBeNull();
    expect(purposeOfPath('')).toBeNull();
  });
});
