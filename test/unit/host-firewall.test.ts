import { describe, expect, it } from 'vitest';
import { cniCleanup, iptablesWords } from '../../src/engine/host-network.js';

// `iptables -t nat -S` on a host whose Docker Engine was there first, before and after a run on Podman (CNI, portmap).
const NAT_BEFORE = [
  '-P PREROUTING ACCEPT',
  '-N DOCKER',
  '-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER',
  '-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE',
];
const NAT_AFTER = [
  '-P PREROUTING ACCEPT',
  '-N CNI-HOSTPORT-DNAT',
  '-N CNI-HOSTPORT-MASQ',
  '-N DOCKER',
  '-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER',
  '-A PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT',
  '-A POSTROUTING -m comment --comment "CNI portfwd requiring masquerade" -j CNI-HOSTPORT-MASQ',
  '-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE',
  '-A CNI-HOSTPORT-MASQ -m mark --mark 0x2000/0x2000 -j MASQUERADE',
];

describe("the host firewall after Podman's CNI plugins", () => {
  it('reads a quoted comment as one word', () => {
    expect(iptablesWords('-A FORWARD -m comment --comment "CNI firewall plugin rules" -j CNI-FORWARD')).toEqual([
      '-A',
      'FORWARD',
      '-m',
      'comment',
      '--comment',
      'CNI firewall plugin rules',
      '-j',
      'CNI-FORWARD',
    ]);
  });

  it('undoes only the CNI chains that appeared, and the jumps to them', () => {
    expect(cniCleanup(NAT_BEFORE, NAT_AFTER)).toEqual([
      ['-D', 'PREROUTING', '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'CNI-HOSTPORT-DNAT'],
      ['-D', 'POSTROUTING', '-m', 'comment', '--comment', 'CNI portfwd requiring masquerade', '-j', 'CNI-HOSTPORT-MASQ'],
      ['-F', 'CNI-HOSTPORT-DNAT'],
      ['-F', 'CNI-HOSTPORT-MASQ'],
      ['-X', 'CNI-HOSTPORT-DNAT'],
      ['-X', 'CNI-HOSTPORT-MASQ'],
    ]);
  });

  it('leaves CNI chains that were there before the run alone', () => {
    expect(cniCleanup(NAT_AFTER, NAT_AFTER)).toEqual([]);
  });
});
