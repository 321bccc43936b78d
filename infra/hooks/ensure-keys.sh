#!/bin/sh
# Creates the personal-data keys in Key Vault the first time an environment is provisioned, and never
# again: a new encryption key would make every stored identity number, name, mobile and bank account
# unreadable. The keys go straight from openssl into Key Vault; nothing is written to disk or azd's .env.
# Needs the Azure CLI (az) signed in as AZURE_PRINCIPAL_ID, which main.bicep makes Key Vault Secrets Officer.
set -eu
: "${AZURE_KEY_VAULT_NAME:?run after azd provision}"
for name in ${PERSONAL_DATA_SECRET_NAMES:-personal-data-encryption-key personal-data-index-key}; do
  attempt=1
  while :; do
    if out=$(az keyvault secret show --vault-name "$AZURE_KEY_VAULT_NAME" --name "$name" --query id --output tsv 2>&1); then
      echo "Key Vault secret $name exists; left as it is."
      break
    fi
    case "$out" in
      *SecretNotFound*)
        key=$(openssl rand -base64 32)
        az keyvault secret set --vault-name "$AZURE_KEY_VAULT_NAME" --name "$name" --value "$key" --output none
        key=
        echo "Key Vault secret $name created."
        break
        ;;
      *Forbidden*)
        # A role assignment made by this provisioning can take minutes to apply. Anything but a clear
        # "not found" must never lead to writing a new key over one that may exist.
        if [ "$attempt" -ge 10 ]; then echo "$out" >&2; exit 1; fi
        attempt=$((attempt + 1))
        sleep 30
        ;;
      *)
        echo "$out" >&2
        exit 1
        ;;
    esac
  done
done
