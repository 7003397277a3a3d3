import type { ReviewObservation } from '../../../shared/domain/review';

export interface ObservationFilter {
  tag: string;
  author: string;
  member: string;
  flag: 'any' | 'flagged' | 'not-flagged';
  answer: 'any' | 'answered' | 'unanswered' | 'acknowledged' | 'disputed';
}

export const NO_FILTER: ObservationFilter = { tag: '', author: '', member: '', flag: 'any', answer: 'any' };

export function isFiltering(f: ObservationFilter): boolean {
  return f.tag !== '' || f.author !== '' || f.member !== '' || f.flag !== 'any' || f.answer !== 'any';
}

export function filterObservations(list: ReviewObservation[], f: ObservationFilter): ReviewObservation[] {
  return list.filter((o) => {
    if (f.tag && !o.tags.some((t) => t.id === f.tag)) return false;
    if (f.author && o.authorId !== f.author) return false;
    if (f.member && o.member !== f.member) return false;
    if (f.flag === 'flagged' && !o.forCoTherapist) return false;
    if (f.flag === 'not-flagged' && o.forCoTherapist) return false;
    // Answers belong to flags: "unanswered" means a flag nobody answered.
    if (f.answer === 'answered' && !o.response) return false;
    if (f.answer === 'unanswered' && (!o.forCoTherapist || o.response)) return false;
    if ((f.answer === 'acknowledged' || f.answer === 'disputed') && o.response?.answer !== f.answer) return false;
    return true;
  });
}
