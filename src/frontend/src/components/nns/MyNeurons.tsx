import { useId, useRef, useState } from 'react';
import type { LapsedNeuron, NeuronLink } from '../../api/models';
import { useLinkNeuron, useRefreshMyNeurons, useUnlinkNeuron } from '../../hooks/mutations';
import { useMyNeurons } from '../../hooks/queries';
import { ErrorNotice, FormError, Loading, RelativeTime } from '../Feedback';
import { Field } from '../Field';
import { announce } from '../LiveRegion';
import { fieldMessage } from './fieldMessage';
import { formatDissolveDelay, formatVotingPower } from './format';

/** Copies the member's principal, which is what they add to their neuron as a hot key. */
export function CopyPrincipalButton({ principal }: { principal: string }) {
  return (
    <button
      type="button"
      className="btn btn-small"
      aria-label="Copy your principal"
      onClick={() => {
        // The clipboard needs a secure context and permission; else the principal is read out.
        const copied = navigator.clipboard?.writeText(principal);
        const fallback = () => announce(`Copy your principal: ${principal}`);
        if (copied) copied.then(() => announce('Your principal is copied.'), fallback);
        else fallback();
      }}
    >
      Copy
    </button>
  );
}

/**
 * The signed-in member's neurons: how to link one (a hot key and a public neuron, checked by
 * the canister with NNS governance), the linked ones with their voting power, links that
 * lapsed and why, and the member's total voting power.
 */
export function MyNeurons({ principal }: { principal: string }) {
  const neurons = useMyNeurons();
  const refresh = useRefreshMyNeurons();
  const total = neurons.data?.votingPower ?? 0n;
  // Unlinking or dismissing removes the pressed button: focus goes back to the section.
  const heading = useRef<HTMLHeadingElement>(null);
  const focusSection = () => heading.current?.focus();
  return (
    <section aria-labelledby="neurons-heading" className="section card neurons">
      <h2 id="neurons-heading" ref={heading} tabIndex={-1}>
        Neurons
      </h2>
      <p>
        Link your NNS neurons to weigh your votes with their voting power. Your voting power is the
        sum of your linked neurons’ voting power, and it counts once in every tally, however many
        neurons you link. Each neuron links to one member at a time.
      </p>
      <ol className="steps">
        <li>
          In the <a href="https://nns.ic0.app/neurons/">NNS dapp</a>, open your neuron and add this
          principal as a hot key:{' '}
          <span className="principal-copy">
            <code>{principal}</code> <CopyPrincipalButton principal={principal} />
          </span>
        </li>
        <li>Make the neuron public (its visibility, on the same page).</li>
        <li>Enter the neuron id below and press “Link neuron”.</li>
      </ol>
      <LinkNeuronForm />
      {neurons.isPending ? (
        <Loading label="Loading your neurons…" />
      ) : neurons.isError ? (
        <ErrorNotice error={neurons.error} onRetry={() => void neurons.refetch()} />
      ) : (
        <>
          <p className="power-total">
            Your voting power: <strong>{formatVotingPower(total)}</strong>
          </p>
          {neurons.data.lapsed.length > 0 && (
            <LapsedList lapsed={neurons.data.lapsed} onGone={focusSection} />
          )}
          {neurons.data.links.length === 0 ? (
            <p className="muted small">No neurons linked yet.</p>
          ) : (
            <NeuronList links={neurons.data.links} onGone={focusSection} />
          )}
          <div className="form-actions">
            <button
              type="button"
              className="btn"
              onClick={() => {
                if (refresh.isPending) return;
                refresh.mutate(undefined, {
                  onSuccess: (now) =>
                    announce(
                      `Checked with NNS governance. Your voting power is ${formatVotingPower(now.votingPower)}` +
                        (now.lapsed.length > 0
                          ? `; ${now.lapsed.length} ${now.lapsed.length === 1 ? 'link has' : 'links have'} lapsed.`
                          : '.'),
                    ),
                });
              }}
            >
              {refresh.isPending ? 'Checking…' : 'Re-check now'}
            </button>
          </div>
          {refresh.isError && <ErrorNotice error={refresh.error} />}
        </>
      )}
    </section>
  );
}

function LinkNeuronForm() {
  const ids = useId();
  const link = useLinkNeuron();
  const [neuronId, setNeuronId] = useState('');
  const [missing, setMissing] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  return (
    <form
      className="stack link-neuron"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (link.isPending) return;
        if (neuronId.trim() === '') {
          setMissing(true);
          input.current?.focus();
          return;
        }
        setMissing(false);
        link.mutate(neuronId, {
          onSuccess: (linked) => {
            setNeuronId('');
            announce(
              `Neuron ${linked.neuronId} is linked, with ${formatVotingPower(linked.votingPower)}.`,
            );
          },
          onError: () => input.current?.focus(),
        });
      }}
    >
      <Field
        id={`${ids}-neuron`}
        label="Neuron id"
        error={
          (missing ? 'Enter your neuron id.' : undefined) ?? fieldMessage(link.error, 'neuronId')
        }
      >
        {(props) => (
          <input
            {...props}
            ref={input}
            inputMode="numeric"
            autoComplete="off"
            value={neuronId}
            onChange={(e) => setNeuronId(e.target.value)}
          />
        )}
      </Field>
      <FormError error={link.error} fields={['neuronId']} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary">
          {link.isPending ? 'Linking…' : 'Link neuron'}
        </button>
      </div>
    </form>
  );
}

function NeuronList({ links, onGone }: { links: NeuronLink[]; onGone: () => void }) {
  const unlink = useUnlinkNeuron();
  return (
    <>
      <h3 id="linked-neurons">Linked neurons</h3>
      <ul className="neuron-list" aria-labelledby="linked-neurons">
        {links.map((n) => (
          <li key={n.neuronId} className="neuron">
            <div>
              <strong>Neuron {n.neuronId}</strong>
              <span className="small">
                {' '}
                · {formatVotingPower(n.votingPower)} · dissolve delay{' '}
                {formatDissolveDelay(n.dissolveDelaySeconds)}
              </span>
              <div className="muted small">
                Last checked <RelativeTime date={n.checkedAt} />
              </div>
            </div>
            <button
              type="button"
              className="btn btn-quiet btn-small"
              aria-label={`Unlink neuron ${n.neuronId}`}
              onClick={() => {
                if (unlink.isPending) return;
                unlink.mutate(n.neuronId, {
                  onSuccess: (now) => {
                    announce(
                      `Neuron ${n.neuronId} is unlinked. Your voting power is ${formatVotingPower(now.votingPower)}.`,
                    );
                    onGone();
                  },
                });
              }}
            >
              Unlink
            </button>
          </li>
        ))}
      </ul>
      {unlink.isError && <ErrorNotice error={unlink.error} />}
    </>
  );
}

function LapsedList({ lapsed, onGone }: { lapsed: LapsedNeuron[]; onGone: () => void }) {
  const dismiss = useUnlinkNeuron();
  return (
    <div className="notice notice-info lapsed" role="note">
      <h3>Links that lapsed</h3>
      <ul>
        {lapsed.map((n) => (
          <li key={n.neuronId}>
            <strong>Neuron {n.neuronId}</strong> no longer counts (
            <RelativeTime date={n.at} />
            ): <bdi>{n.reason}</bdi>{' '}
            <button
              type="button"
              className="btn btn-quiet btn-small"
              aria-label={`Dismiss the notice about neuron ${n.neuronId}`}
              onClick={() => {
                if (dismiss.isPending) return;
                dismiss.mutate(n.neuronId, {
                  onSuccess: () => {
                    announce(`Notice about neuron ${n.neuronId} dismissed.`);
                    onGone();
                  },
                });
              }}
            >
              Dismiss
            </button>
          </li>
        ))}
      </ul>
      {dismiss.isError && <ErrorNotice error={dismiss.error} />}
    </div>
  );
}
