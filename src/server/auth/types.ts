export type Role = 'admin' | 'creator';

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
