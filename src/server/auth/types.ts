/** Readers sign in by a one-time email link; admins and creators by password. */
export type Role = 'admin' | 'creator' | 'reader';

/** What a page may know about the signed-in user (never the password hash). */
export interface SessionUser {
  id: number;
  email: string;
  role: Role;
  creatorId: number | null;
}

export interface SessionInfo {
  id: string;
  userId: number;
  expiresAt: number;
}
