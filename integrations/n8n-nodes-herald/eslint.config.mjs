// n8n's community-node rules (the self-hosted set: the trigger's signature check needs node:crypto, which
// n8n Cloud does not allow) over the TypeScript sources, and typescript-eslint's recommended rules.
import { configs as n8n } from '@n8n/eslint-plugin-community-nodes';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'eslint.config.mjs', 'scripts/**', 'test/**'] },
	...tseslint.configs.recommended,
	n8n.recommendedWithoutN8nCloudSupport,
);
