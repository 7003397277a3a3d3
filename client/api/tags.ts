import type { TagView } from '../../shared/domain/tag';
import { apiRequest } from './http';

/** The clinic's codebook, retired tags included (past observations keep them). */
export function fetchTags(): Promise<TagView[]> {
  return apiRequest<TagView[]>('GET', '/api/tags');
}

export function createTag(body: { name: string; color: string; description: string }): Promise<TagView> {
  return apiRequest<TagView>('POST', '/api/tags', body);
}

export function updateTag(
  id: string,
  patch: { name?: string; color?: string; description?: string; retired?: boolean },
): Promise<TagView> {
  return apiRequest<TagView>('PATCH', `/api/tags/${encodeURIComponent(id)}`, patch);
}
