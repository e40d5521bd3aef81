import { useAuth } from '../hooks/auth';

export function SignInPrompt({ action }: { action: string }) {
  const { signIn, status } = useAuth();
  return (
    <div className="signin-prompt">
      <p>Sign in with Internet Identity to {action}.</p>
      <button
        type="button"
        className="btn btn-primary"
        onClick={signIn}
        disabled={status === 'signingIn'}
      >
        {status === 'signingIn' ? 'Signing in…' : 'Sign in'}
      </button>
    </div>
  );
}
