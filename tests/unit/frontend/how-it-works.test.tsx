import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import HowItWorksPage from '../../../src/frontend/src/pages/HowItWorksPage';

function renderPage() {
  return render(
    <MemoryRouter initialEntries={['/how-it-works']}>
      <Routes>
        <Route path="/how-it-works" element={<HowItWorksPage />} />
        <Route path="/" element={<p>Roadmap page</p>} />
        <Route path="/proposals" element={<p>Proposals page</p>} />
      </Routes>
    </MemoryRouter>,
  );
}

describe('how it works page', () => {
  it('explains each kind of vote under its own heading, and names itself in the tab', () => {
    renderPage();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('How voting works');
    expect(screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual([
      '▲ Support and ▼ oppose, on proposals',
      'Priority votes, on roadmap items',
      'Voting power, from NNS neurons',
    ]);
    // Each section is a landmark named by its heading, so screen readers can jump between them.
    expect(screen.getByRole('region', { name: 'Priority votes, on roadmap items' })).toBeTruthy();
    expect(document.title).toBe('How voting works · Roadmap Commons');
  });

  it('links back to the roadmap and the proposals, including the voting power sort', () => {
    renderPage();
    expect(screen.getByRole('link', { name: 'roadmap' }).getAttribute('href')).toBe('/');
    expect(screen.getByRole('link', { name: 'Proposals' }).getAttribute('href')).toBe('/proposals');
    expect(screen.getByRole('link', { name: 'proposals' }).getAttribute('href')).toBe(
      '/proposals?sort=VotingPower',
    );
  });

  it('takes the reader back to the roadmap', async () => {
    renderPage();
    await userEvent.click(screen.getByRole('link', { name: 'roadmap' }));
    expect(await screen.findByText('Roadmap page')).toBeTruthy();
  });
});
