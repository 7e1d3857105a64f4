"""The synthetic cohort as the harness knows it: the truth (every person's germline
genotypes, the sample sheet) and, separately, what an attacker knows (a reference panel of
people outside the cohort, the targets' genomes)."""

import os

import numpy as np

# The gateway's QC thresholds (defaults of README "Variant store").
MIN_MAPPING, MAX_DUPLICATES, MIN_DEPTH = 99.0, 30.0, {"normal": 30.0, "tumour": 120.0}
QC_PASS = "genomegate:qc-pass"
TISSUE_TERMS = {"tumour": "NCIT:C18009", "normal": "NCIT:C14165"}


def read_vcf(path):
    """(alleles, samples, genotypes): alleles as (chrom, pos, ref, alt, somatic, filter), one
    per ALT allele; genotypes[allele, sample] = copies of that allele (missing: 0) and
    called[allele, sample] = alleles called at the site."""
    alleles, rows, called_rows = [], [], []
    samples = []
    with open(path) as handle:
        for line in handle:
            if line.startswith("##"):
                continue
            columns = line.rstrip("\n").split("\t")
            if line.startswith("#CHROM"):
                samples = columns[9:]
                continue
            chrom, pos, ref, alts, filt, info = columns[0], int(columns[1]), columns[3], columns[4].split(","), columns[6], columns[7]
            genotypes = columns[9:]
            first = np.array([g[0] for g in genotypes])
            second = np.array([g[2] for g in genotypes])
            calls = (first != ".").astype(np.int8) + (second != ".").astype(np.int8)
            for index, alt in enumerate(alts, start=1):
                code = str(index)
                alleles.append((chrom, pos, ref, alt, info == "SOMATIC", filt))
                rows.append((first == code).astype(np.int8) + (second == code).astype(np.int8))
                called_rows.append(calls)
    return alleles, samples, np.array(rows), np.array(called_rows)


def read_tsv(path):
    with open(path) as handle:
        header = handle.readline().rstrip("\n").split("\t")
        return [dict(zip(header, line.rstrip("\n").split("\t"))) for line in handle if line.strip()]


class Cohort:
    def __init__(self, folder, reference_size, out_targets, late_people, evaluation_outsiders=0):
        self.alleles, samples, self.sample_genotypes, self.sample_called = read_vcf(os.path.join(folder, "cohort.vcf"))
        self.index = {allele[:4]: number for number, allele in enumerate(self.alleles)}
        sheet = {row["sample_id"]: row for row in read_tsv(os.path.join(folder, "samples.tsv"))}
        self.samples = [sheet[name] for name in samples]
        # People: the cases, by participant; a mismatched case never counts.
        self.participants = sorted({row["participant_id"] for row in self.samples})
        self.participant_samples = {p: [] for p in self.participants}
        for column, row in enumerate(self.samples):
            self.participant_samples[row["participant_id"]].append(column)
        self.counted = [p for p in self.participants
                        if all(self.samples[c]["nt_check"] != "mismatch" for c in self.participant_samples[p])]
        self.cancer_type = {row["participant_id"]: row["cancer_type_id"] for row in self.samples}
        normal_column = {row["participant_id"]: c for c, row in enumerate(self.samples) if row["tissue"] == "normal"}
        # Germline of the counted people (their normal sample; the tumour matches).
        self.members = self.counted
        self.member_genotypes = self.sample_genotypes[:, [normal_column[p] for p in self.members]].T.astype(np.int8)

        _, withheld_samples, withheld_genotypes, _ = read_vcf(os.path.join(folder, "withheld.vcf"))
        withheld = read_tsv(os.path.join(folder, "withheld.tsv"))
        self.folder = folder
        self.withheld_rows = withheld
        assert [row["sample_id"] for row in withheld] == withheld_samples
        withheld_genotypes = withheld_genotypes.T.astype(np.int8)
        self.reference = withheld_genotypes[:reference_size]
        self.outsiders = [row["participant_id"] for row in withheld[reference_size:reference_size + out_targets]]
        self.outsider_genotypes = withheld_genotypes[reference_size:reference_size + out_targets]
        for row in withheld:
            self.cancer_type[row["participant_id"]] = row["cancer_type_id"]
        late_rows = withheld[reference_size + out_targets:reference_size + out_targets + late_people]
        self.late = [row["participant_id"] for row in late_rows]
        self.late_genotypes = withheld_genotypes[reference_size + out_targets:reference_size + out_targets + late_people]
        self.late_rows = late_rows
        # More people outside the cohort, for attacks that cost no queries per person (the scans).
        first = reference_size + out_targets + late_people
        self.evaluation_outsider_genotypes = withheld_genotypes[first:first + evaluation_outsiders]
        self.evaluation_outsider_types = [row["cancer_type_id"] for row in withheld[first:first + evaluation_outsiders]]
        # What the attacker estimates from the reference panel (a pseudo-count keeps it off 0 and 1).
        panel = 2 * len(self.reference)
        self.reference_frequency = (self.reference.sum(axis=0) + 0.5) / (panel + 1)
        carriers = (self.reference > 0).sum(axis=0)
        self.reference_carrier_share = (carriers + 0.5) / (len(self.reference) + 1)
        self.germline = np.array([not allele[4] for allele in self.alleles])
        # The worst case: an attacker who knows the population's frequencies (every person the
        # generator spread the allele counts over: the cohort and every withheld case).
        population = np.vstack([self.member_genotypes, withheld_genotypes])
        self.population_frequency = (population.sum(axis=0) + 0.5) / (2 * len(population) + 1)

    def genotype_of(self, person):
        if person in self.late:
            return self.late_genotypes[self.late.index(person)]
        if person in self.outsiders:
            return self.outsider_genotypes[self.outsiders.index(person)]
        return self.member_genotypes[self.members.index(person)]

    def carried_rarest_first(self, person):
        """Indices of the germline alleles the person carries, rarest in the reference panel first."""
        genotype = self.genotype_of(person)
        carried = np.flatnonzero((genotype > 0) & self.germline)
        return carried[np.argsort(self.reference_frequency[carried], kind="stable")]

    # --- the truth, for checking answers and choosing differencing pairs --------------

    def sample_passes_qc(self, column):
        row = self.samples[column]
        return (float(row["mapping_rate"]) >= MIN_MAPPING and float(row["duplicate_rate"]) < MAX_DUPLICATES
                and float(row["mean_depth"]) >= MIN_DEPTH[row["tissue"]] and row["nt_check"] != "mismatch")

    def cohort_columns(self, cancer_types=(), tissue=None, qc=False, withdrawn=(), overseas_only=False):
        """Sample columns the gateway counts for these filters (README "Cohort"); `overseas_only`:
        a member outside Japan and the equivalence list counts consenting samples only."""
        counted = set(self.counted) - set(withdrawn)
        columns = []
        for column, row in enumerate(self.samples):
            if row["participant_id"] not in counted:
                continue
            if overseas_only and row["overseas_consent"] != "yes":
                continue
            if cancer_types and row["cancer_type_id"] not in cancer_types:
                continue
            if tissue and row["tissue"] != tissue:
                continue
            if qc and not self.sample_passes_qc(column):
                continue
            columns.append(column)
        return columns

    def true_allele_counts(self, columns):
        return self.sample_genotypes[:, columns].sum(axis=1)
