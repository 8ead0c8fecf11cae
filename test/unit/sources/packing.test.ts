import { describe, expect, it } from 'vitest';
import { packingOf } from '../../../src/sources/packing.js';

describe('packingOf', () => {
  it.each<[string, ReturnType<typeof packingOf>]>([
    ['https://x.example/talos/openstack-amd64.raw.xz', { codec: 'xz', tar: false, suffix: '.xz' }],
    ['https://x.example/flatcar_production_openstack_image.img.bz2', { codec: 'bz2', tar: false, suffix: '.bz2' }],
    ['https://x.example/a.qcow2.gz?sig=1#top', { codec: 'gz', tar: false, suffix: '.gz' }],
    ['https://x.example/a.RAW.ZST', { codec: 'zst', tar: false, suffix: '.zst' }],
    ['https://x.example/gardener-1877.5.tar.xz', { codec: 'xz', tar: true, suffix: '.tar.xz' }],
    ['https://x.example/a.tar.gz', { codec: 'gz', tar: true, suffix: '.tar.gz' }],
    ['https://x.example/a.tgz', { codec: 'gz', tar: true, suffix: '.tgz' }],
    ['https://x.example/a.tar.bz2', { codec: 'bz2', tar: true, suffix: '.tar.bz2' }],
    ['https://x.example/a.tar.zst', { codec: 'zst', tar: true, suffix: '.tar.zst' }],
    ['file:///srv/a.tar', { tar: true, suffix: '.tar' }],
    ['https://x.example/ubuntu.qcow2', undefined],
    ['https://x.example/ubuntu.img', undefined],
    ['https://x.example/xz/ubuntu.qcow2', undefined],
    ['https://x.example/ubuntu.qcow2?format=.xz', undefined],
    ['https://x.example/xz', undefined],
  ])('%s', (url, packing) => {
    expect(packingOf(url)).toEqual(packing);
  });
});
