{{/* Name of the chart, or nameOverride. */}}
{{- define "presign-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name of the release's resources. */}}
{{- define "presign-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels that select the operator's pods. */}}
{{- define "presign-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "presign-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of every resource of the release. */}}
{{- define "presign-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "presign-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "presign-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "presign-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* "true" when the replicas elect a leader: leaderElection.enabled, or auto and replicas > 1. */}}
{{- define "presign-operator.leaderElection" -}}
{{- $enabled := .Values.leaderElection.enabled }}
{{- if eq (toString $enabled) "auto" }}
{{- gt (int .Values.replicas) 1 }}
{{- else }}
{{- toString $enabled }}
{{- end }}
{{- end }}

{{/*
The Lease the replicas compete for: its own per release when the release serves a share of the
links (selector), so that each share elects its own leader.
*/}}
{{- define "presign-operator.leaseName" -}}
{{- if .Values.leaderElection.leaseName }}
{{- .Values.leaderElection.leaseName }}
{{- else if .Values.selector }}
{{- printf "%s-lease" (include "presign-operator.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- "presign-operator-lease" }}
{{- end }}
{{- end }}

{{/*
What the operator may do in a namespace it watches (README, "RBAC"). The same rules go into the
ClusterRole (all namespaces) or into a Role per watched namespace.
*/}}
{{- define "presign-operator.rules" -}}
# The links themselves: listed and watched (the SDK's cache), never written but their status.
- apiGroups: [presign.dev]
  resources: [presignedobjectlinks]
  verbs: [list, watch]
- apiGroups: [presign.dev]
  resources: [presignedobjectlinks/status]
  verbs: [patch]
# Not used by any request: clusters that enforce owner-reference permissions
# (OwnerReferencesPermissionEnforcement, on in OpenShift) ask it of whoever creates a Secret
# whose controller ownerReference sets blockOwnerDeletion, as the operator's Secrets do.
- apiGroups: [presign.dev]
  resources: [presignedobjectlinks/finalizers]
  verbs: [update]
# The Secrets that hold the URLs: created, replaced, deleted after a rename; list and watch are
# limited by the operator to its own label (app.kubernetes.io/managed-by=presign-operator),
# but RBAC cannot express that. get also reads spec.credentials.secretRef keys.
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, list, watch, create, update, delete]
# Events on links (kubectl describe plink).
- apiGroups: [""]
  resources: [events]
  verbs: [create]
# restartTargets: a rollout restart is a merge patch of the pod template's annotations
# (the operator reads the workload first). list and watch: the pod templates of the
# namespace's workloads, read-only, to report those that read a link's Secret in a way that
# never sees a new URL (env vars, subPath mounts).
- apiGroups: [apps]
  resources: [deployments, statefulsets, daemonsets]
  verbs: [get, list, watch, patch]
- apiGroups: [batch]
  resources: [cronjobs]
  verbs: [list, watch]
# spec.credentials.serviceAccountName (DESIGN §4): read the ServiceAccount's
# eks.amazonaws.com/role-arn annotation and request a token for it (audience sts.amazonaws.com)
# to assume that role. Used by ServiceAccount-signed links only.
- apiGroups: [""]
  resources: [serviceaccounts]
  verbs: [get]
- apiGroups: [""]
  resources: [serviceaccounts/token]
  verbs: [create]
{{- end }}
