import { Link } from 'react-router';
import type { ModerationSettings } from '../api/models';
import { Empty, ErrorNotice, Loading } from '../components/Feedback';
import { ReportQueue } from '../components/moderation/ReportQueue';
import { SignInPrompt } from '../components/SignInPrompt';
import { useAuth } from '../hooks/auth';
import { useSetModerationSettings } from '../hooks/mutations';
import { useMe, useModerationSettings } from '../hooks/queries';
import { CountSettingsForm, type CountSetting } from './admin/forms';
import { usePageTitle } from './usePageTitle';

export default function ModerationPage() {
  usePageTitle('Moderation');
  const auth = useAuth();
  const me = useMe();

  if (auth.status === 'initializing' || (auth.status === 'signedIn' && me.isPending)) {
    return <Loading />;
  }
  if (me.isError) return <ErrorNotice error={me.error} onRetry={() => void me.refetch()} />;
  if (auth.status !== 'signedIn') {
    return (
      <div className="narrow">
        <div className="page-head">
          <h1>Moderation</h1>
          <p className="lead">This page is for the board&apos;s moderators.</p>
        </div>
        <SignInPrompt action="moderate" />
      </div>
    );
  }
  const role = me.data?.role ?? 'Member';
  if (role === 'Member') {
    return (
      <Empty>
        <h1>Moderators only</h1>
        <p>
          This page is for the board&apos;s moderators. To point them at something, use Report
          beside it. <Link to="/">Back to the roadmap</Link>
        </p>
      </Empty>
    );
  }
  return (
    <>
      <div className="page-head">
        <h1>Moderation</h1>
        <p className="lead">
          Reports from members, grouped by what they are about. Every decision and its reason is
          public in the <Link to="/activity">activity log</Link>; who reported is not.
        </p>
      </div>
      <ReportQueue />
      {role === 'Admin' && <SettingsSection />}
    </>
  );
}

const SETTING_LABELS: CountSetting<ModerationSettings>[] = [
  [
    'autoHideReports',
    'Reports that hide content until reviewed',
    'Counted from distinct members in good standing.',
  ],
  [
    'upVotesPerExtraReport',
    'Up-votes per extra report needed',
    'A popular proposal needs one more report per this many up-votes, so a group cannot bury it.',
  ],
  ['reportsPerHour', 'Reports per member per hour', ''],
  ['newMemberHours', 'Hours a member counts as new', '0 turns the lower limits off.'],
  ['newMemberProposalsPerDay', 'Proposals per day for new members', ''],
  ['newMemberCommentsPerHour', 'Comments per hour for new members', ''],
];

function SettingsSection() {
  const settings = useModerationSettings();
  const save = useSetModerationSettings();
  return (
    <section aria-labelledby="moderation-settings" className="section narrow-form">
      <h2 id="moderation-settings">Moderation settings</h2>
      {settings.isPending ? (
        <Loading />
      ) : settings.isError ? (
        <ErrorNotice error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <CountSettingsForm initial={settings.data} settings={SETTING_LABELS} save={save} />
      )}
    </section>
  );
}
