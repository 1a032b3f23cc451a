// Which project the watch views show: the open project of the shell's projectStore, or the `projectId`
// prop a host page may pass instead (e.g. a view embedded on its own).
import { computed, type ComputedRef } from 'vue';
import { useProjectStore } from '../../stores/projectStore.js';

export function useCurrentProjectId(props: { projectId?: string }): ComputedRef<string | null> {
  const projects = useProjectStore();
  return computed(() => props.projectId ?? projects.projectId ?? null);
}

/**
 * Node id -> the name shown on the canvas (its label, else its id). The probe names a self-attention
 * block's per-head maps `${node}/head${n}`: those read "<block name> · head n".
 */
export function useNodeNames(): ComputedRef<(id: string) => string> {
  const projects = useProjectStore();
  return computed(() => {
    const names = new Map<string, string>();
    for (const node of projects.doc?.graph.nodes ?? []) names.set(node.id, node.label || node.id);
    return (id: string) => {
      const head = /^(.+)\/head(\d+)$/.exec(id);
      return names.get(id) ?? (head ? `${names.get(head[1]!) ?? head[1]} · head ${head[2]}` : id);
    };
  });
}
