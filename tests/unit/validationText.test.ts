import { describe, expect, it } from 'vitest';
import { validationText } from '../../client/api/validationText';

describe('validation messages in words', () => {
  it('names the field and says what it needs', () => {
    expect(validationText('newPassword: Too small: expected string to have >=10 characters', 'newPassword')).toBe('The new password needs at least 10 characters.');
    expect(validationText('title: Too small: expected string to have >=1 characters', 'title')).toBe('The title cannot be empty.');
    expect(validationText('reason: Too big: expected string to have <=500 characters', 'reason')).toBe('The reason can be at most 500 characters long.');
    expect(validationText('email: Invalid email address', 'email')).toBe('Enter an email address such as name@clinic.org.');
    expect(validationText('labels.2: use initials or a short code such as M3', 'labels.2')).toBe('Use initials or a short code such as M3.');
    expect(validationText('role: Invalid option: expected one of "admin"|"clinician"|"supervisor"', 'role')).toBe('The role must be one of the choices offered.');
  });
});
