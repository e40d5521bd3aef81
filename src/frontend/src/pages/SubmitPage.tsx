import { useNavigate, useSearchParams } from 'react-router';
import { ProposalForm } from '../components/ProposalForm';
import { SignInPrompt } from '../components/SignInPrompt';
import { Loading } from '../components/Feedback';
import { useAuth } from '../hooks/auth';
import { useSubmitProposal } from '../hooks/mutations';
import { usePageTitle } from './usePageTitle';

export default function SubmitPage() {
  usePageTitle('Propose an idea');
  const { status } = useAuth();
  const submit = useSubmitProposal();
  const navigate = useNavigate();
  const [params] = useSearchParams();

  return (
    <div className="narrow">
      <div className="page-head">
        <h1>Propose an idea</h1>
        <p className="lead">
          Describe the problem and the change you want. Others can support it, discuss it, and
          maintainers respond officially.
        </p>
      </div>
      {status === 'initializing' ? (
        <Loading />
      ) : (
        <>
          {status !== 'signedIn' && <SignInPrompt action="submit your proposal" />}
          <ProposalForm
            draftKey="proposal-new"
            initial={{ title: '', body: '', tags: '', themeId: '' }}
            submitLabel="Submit proposal"
            suggestSimilar
            prefillTitle={params.get('title') ?? undefined}
            pending={submit.isPending}
            error={submit.error}
            onSubmit={(input, clearDraft) =>
              submit.mutate(input, {
                onSuccess: (id) => {
                  clearDraft();
                  void navigate(`/proposals/${id}`);
                },
              })
            }
          />
        </>
      )}
    </div>
  );
}
