/** Refusals of the profile library: bad options, unequal column lengths, unreadable serialised profiles. */
export class ProfileError extends Error {
  override readonly name = 'ProfileError';
}
